import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { ConfigurationError, DependencyError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

/** Where a JSON secret document comes from: a Secrets Manager secret, or inline JSON (local stack and tests). */
export type SecretSource =
  | { readonly kind: 'secrets-manager'; readonly client: SecretsManagerClient; readonly secretId: string }
  | { readonly kind: 'inline'; readonly json: string; readonly variable: string };

/**
 * One JSON secret document validated by `schema`, read when first needed and then cached for `ttlSeconds` (so a
 * rotated value is picked up without a deploy). A document that is not JSON or breaks the schema is a
 * ConfigurationError naming the problem, never the secret's content.
 */
export class JsonSecretDocument<S extends z.ZodType> {
  private cached?: { value: z.infer<S>; until: number };

  constructor(
    private readonly source: SecretSource,
    private readonly schema: S,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  private parse(text: string, origin: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigurationError(`${origin} is not valid JSON`, { cause: error });
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success)
      throw new ConfigurationError(`${origin} does not match its schema: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  async get(): Promise<z.infer<S>> {
    const now = this.clock().getTime();
    if (this.cached && this.cached.until > now) return this.cached.value;
    let value: z.infer<S>;
    if (this.source.kind === 'inline') {
      value = this.parse(this.source.json, this.source.variable);
    } else {
      let text: string | undefined;
      try {
        text = (await this.source.client.send(new GetSecretValueCommand({ SecretId: this.source.secretId })))
          .SecretString;
      } catch (error) {
        throw new DependencyError('Secrets Manager GetSecretValue failed', 'secretsmanager', {
          cause: error,
        });
      }
      if (text === undefined) throw new ConfigurationError('the secret has no SecretString');
      value = this.parse(text, 'the secret');
    }
    this.cached = { value, until: now + this.ttlSeconds * 1000 };
    return value;
  }
}
