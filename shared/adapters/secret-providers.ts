import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type ConnectorSecrets, ConnectorSecretsSchema } from '../config/secrets.js';
import { ConfigurationError, DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { SecretProvider } from '../ports/secret-provider.js';

const parseSecrets = (text: string, origin: string): ConnectorSecrets => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${origin} is not valid JSON`, { cause: error });
  }
  const parsed = ConnectorSecretsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(
      `${origin} does not match the secrets schema: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
};

/** Secrets from inline JSON (local stack and tests only). */
export class StaticSecretProvider implements SecretProvider {
  private readonly secrets: ConnectorSecrets;
  constructor(json: string) {
    this.secrets = parseSecrets(json, 'LOCAL_SECRETS_JSON');
  }
  async get(): Promise<ConnectorSecrets> {
    return this.secrets;
  }
}

/** Secrets from one AWS Secrets Manager secret, cached per container for `ttlSeconds` so rotations are picked up. */
export class SecretsManagerSecretProvider implements SecretProvider {
  private cached?: { value: ConnectorSecrets; until: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<ConnectorSecrets> {
    const now = this.clock().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    let text: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      text = out.SecretString;
    } catch (error) {
      throw new DependencyError('Secrets Manager GetSecretValue failed', 'secretsmanager', { cause: error });
    }
    if (text === undefined) throw new ConfigurationError('The connector secret has no SecretString');
    const value = parseSecrets(text, 'The connector secret');
    this.cached = { value, until: now + this.ttlSeconds * 1000 };
    return value;
  }
}
