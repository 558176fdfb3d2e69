import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as z from 'zod';
import { ConfigurationError, DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { SecretProvider } from '../ports/secret-provider.js';

const parseSecret = <S extends z.ZodType>(text: string, schema: S, origin: string): z.infer<S> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${origin} is not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    // The issues name paths and rules, never values: a secret must not reach the logs through its own error.
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigurationError(`${origin} does not match its schema: ${issues.join('; ')}`);
  }
  return parsed.data;
};

/** A secret document from inline JSON (local stack and tests only). */
export class StaticSecretProvider<S extends z.ZodType> implements SecretProvider<z.infer<S>> {
  private readonly value: z.infer<S>;
  constructor(json: string, schema: S, origin: string) {
    this.value = parseSecret(json, schema, origin);
  }
  async get(): Promise<z.infer<S>> {
    return this.value;
  }
}

/**
 * A secret document from one AWS Secrets Manager secret, validated with its schema and cached per container for
 * `ttlSeconds` so rotations are picked up.
 */
export class SecretsManagerSecretProvider<S extends z.ZodType> implements SecretProvider<z.infer<S>> {
  private cached?: { value: z.infer<S>; until: number };

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
    private readonly schema: S,
    private readonly label: string,
  ) {}

  async get(): Promise<z.infer<S>> {
    const now = this.clock().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    let text: string | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      text = out.SecretString;
    } catch (error) {
      throw new DependencyError('Secrets Manager GetSecretValue failed', 'secretsmanager', { cause: error });
    }
    if (text === undefined) throw new ConfigurationError(`The ${this.label} has no SecretString`);
    const value = parseSecret(text, this.schema, `The ${this.label}`);
    this.cached = { value, until: now + this.ttlSeconds * 1000 };
    return value;
  }
}
