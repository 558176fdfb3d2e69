import { describe, expect, it } from 'vitest';
import { ConnectorSecretsSchema } from '../../../shared/config/secrets.js';

describe('ConnectorSecretsSchema', () => {
  it('refuses a Yotpo token the webhook route could never match, at load time instead of 404 per delivery', () => {
    expect(ConnectorSecretsSchema.safeParse({ yotpo: { tokens: ['tok.en+1/x='] } }).success).toBe(false);
    expect(ConnectorSecretsSchema.safeParse({ yotpo: { tokens: ['short'] } }).success).toBe(false);
    expect(ConnectorSecretsSchema.safeParse({ yotpo: { tokens: ['a-valid_token-1234'] } }).success).toBe(
      true,
    );
  });
});
