import { describe, expect, it } from 'vitest';
import {
  CartCheckEnvSchema,
  DeliverEnvSchema,
  IngestEnvSchema,
  ProcessEnvSchema,
  parseEnv,
} from '../../../shared/config/env.js';

const WEBHOOK_ARN = 'arn:aws:secretsmanager:us-east-1:1:secret:webhook';
const DESTINATION_ARN = 'arn:aws:secretsmanager:us-east-1:1:secret:destination';

describe('environment contracts', () => {
  it('refuses an ingest or deliver environment without its own secret, naming the fix', () => {
    expect(() => parseEnv(IngestEnvSchema, { INBOX_QUEUE_URL: 'https://sqs/q' })).toThrow(
      /set WEBHOOK_SECRETS_ARN \(Secrets Manager\) or LOCAL_WEBHOOK_SECRETS_JSON/,
    );
    expect(() => parseEnv(DeliverEnvSchema, {})).toThrow(
      /set DESTINATION_SECRETS_ARN \(Secrets Manager\) or LOCAL_DESTINATION_SECRETS_JSON/,
    );
  });

  it("never takes the other function's secret as its own", () => {
    expect(() =>
      parseEnv(IngestEnvSchema, { INBOX_QUEUE_URL: 'q', DESTINATION_SECRETS_ARN: DESTINATION_ARN }),
    ).toThrow(/WEBHOOK_SECRETS_ARN/);
    expect(() => parseEnv(DeliverEnvSchema, { WEBHOOK_SECRETS_ARN: WEBHOOK_ARN })).toThrow(
      /DESTINATION_SECRETS_ARN/,
    );
  });

  it('accepts either source and applies defaults', () => {
    const env = parseEnv(DeliverEnvSchema, { DESTINATION_SECRETS_ARN: DESTINATION_ARN });
    expect(env).toMatchObject({
      CIO_REGION: 'us',
      CIO_TIMEOUT_MS: 8000,
      SECRETS_CACHE_SECONDS: 300,
      SHOPS: {},
    });
    expect(
      parseEnv(IngestEnvSchema, { INBOX_QUEUE_URL: 'q', LOCAL_WEBHOOK_SECRETS_JSON: '{}' }).MAX_BODY_BYTES,
    ).toBe(1000 * 1024);
  });

  it('refuses the removed combined secret and per-shop variables, naming their replacement', () => {
    expect(() => parseEnv(IngestEnvSchema, { INBOX_QUEUE_URL: 'q', SECRETS_ARN: WEBHOOK_ARN })).toThrow(
      /SECRETS_ARN was removed: the webhook secret is WEBHOOK_SECRETS_ARN/,
    );
    expect(() =>
      parseEnv(DeliverEnvSchema, { DESTINATION_SECRETS_ARN: DESTINATION_ARN, LOCAL_SECRETS_JSON: '{}' }),
    ).toThrow(/LOCAL_SECRETS_JSON was removed/);
    const base = { TABLE_NAME: 't', OUTBOX_QUEUE_URL: 'o', INBOX_DLQ_URL: 'd' };
    expect(() => parseEnv(ProcessEnvSchema, { ...base, PHONE_DEFAULT_COUNTRIES: '{"*":"US"}' })).toThrow(
      /PHONE_DEFAULT_COUNTRIES was removed: set SHOPS/,
    );
    expect(() =>
      parseEnv(CartCheckEnvSchema, { TABLE_NAME: 't', OUTBOX_QUEUE_URL: 'o', CUSTOMER_ID_PREFIX: 'x' }),
    ).toThrow(/CUSTOMER_ID_PREFIX was removed/);
  });
});

describe('SHOPS', () => {
  const base = { TABLE_NAME: 't', OUTBOX_QUEUE_URL: 'o', INBOX_DLQ_URL: 'd' };

  it('parses the per-shop phone country and customer-id prefix, with defaults', () => {
    const env = parseEnv(ProcessEnvSchema, {
      ...base,
      SHOPS: '{"uk.myshopify.com":{"phoneCountry":"GB","customerIdPrefix":"uk-"},"us.myshopify.com":{}}',
    });
    expect(env.SHOPS).toEqual({
      'uk.myshopify.com': {
        phoneCountry: 'GB',
        customerIdPrefix: 'uk-',
        workspace: 'default',
        customDomains: [],
      },
      'us.myshopify.com': { customerIdPrefix: '', workspace: 'default', customDomains: [] },
    });
    expect(parseEnv(ProcessEnvSchema, base).SHOPS).toEqual({});
  });

  it('refuses malformed JSON and anything but alpha-2 codes', () => {
    expect(() => parseEnv(ProcessEnvSchema, { ...base, SHOPS: '{oops' })).toThrow(/not valid JSON/);
    expect(() =>
      parseEnv(ProcessEnvSchema, { ...base, SHOPS: '{"uk.myshopify.com":{"phoneCountry":"usa"}}' }),
    ).toThrow(/alpha-2/);
  });

  it('caps browsers per token and merges per delivery by default', () => {
    expect(parseEnv(ProcessEnvSchema, base)).toMatchObject({
      MAX_ANONYMOUS_IDS_PER_TOKEN: 10,
      MAX_MERGES_PER_DELIVERY: 10,
    });
  });
});

describe('EVENT_NAME_OVERRIDES', () => {
  const base = { DESTINATION_SECRETS_ARN: DESTINATION_ARN };
  it('parses the rename map once at the edge', () => {
    const env = parseEnv(DeliverEnvSchema, {
      ...base,
      EVENT_NAME_OVERRIDES: '{"Added to Cart":"Product Added"}',
    });
    expect(env.EVENT_NAME_OVERRIDES).toEqual({ 'Added to Cart': 'Product Added' });
  });
  it('refuses malformed JSON and names longer than Customer.io accepts', () => {
    expect(() => parseEnv(DeliverEnvSchema, { ...base, EVENT_NAME_OVERRIDES: '[oops' })).toThrow(
      /not valid JSON/,
    );
    expect(() =>
      parseEnv(DeliverEnvSchema, { ...base, EVENT_NAME_OVERRIDES: JSON.stringify({ a: 'x'.repeat(101) }) }),
    ).toThrow();
  });
});

describe('ROLLUPS_INCLUDE_TEST_ORDERS', () => {
  const base = { TABLE_NAME: 't', OUTBOX_QUEUE_URL: 'o', INBOX_DLQ_URL: 'd' };
  it('defaults to false, reads true and false, and refuses anything else', () => {
    expect(parseEnv(ProcessEnvSchema, base).ROLLUPS_INCLUDE_TEST_ORDERS).toBe(false);
    expect(
      parseEnv(ProcessEnvSchema, { ...base, ROLLUPS_INCLUDE_TEST_ORDERS: 'true' })
        .ROLLUPS_INCLUDE_TEST_ORDERS,
    ).toBe(true);
    expect(
      parseEnv(ProcessEnvSchema, { ...base, ROLLUPS_INCLUDE_TEST_ORDERS: 'false' })
        .ROLLUPS_INCLUDE_TEST_ORDERS,
    ).toBe(false);
    expect(() => parseEnv(ProcessEnvSchema, { ...base, ROLLUPS_INCLUDE_TEST_ORDERS: 'yes' })).toThrow(
      /ROLLUPS_INCLUDE_TEST_ORDERS/,
    );
  });
});

describe('worker retry budgets (CONTRACTS.md)', () => {
  const processBase = { TABLE_NAME: 't', OUTBOX_QUEUE_URL: 'o', INBOX_DLQ_URL: 'd' };
  const deliverBase = { DESTINATION_SECRETS_ARN: DESTINATION_ARN };

  it('defaults to 15 attempts from 30 s capped at 15 min on the inbox, 20 capped at 30 min on the outbox', () => {
    expect(parseEnv(ProcessEnvSchema, processBase)).toMatchObject({
      MAX_ATTEMPTS: 15,
      RETRY_BASE_SECONDS: 30,
      RETRY_MAX_SECONDS: 900,
    });
    expect(parseEnv(DeliverEnvSchema, deliverBase)).toMatchObject({
      MAX_ATTEMPTS: 20,
      RETRY_BASE_SECONDS: 30,
      RETRY_MAX_SECONDS: 1800,
    });
  });

  it('reads the queue URLs it is given, and refuses a cap beyond the 12 h SQS allows', () => {
    const env = parseEnv(DeliverEnvSchema, {
      ...deliverBase,
      SOURCE_QUEUE_URL: 'https://sqs/outbox',
      OUTBOX_DLQ_URL: 'https://sqs/outbox-dlq',
      MAX_ATTEMPTS: '4',
    });
    expect(env).toMatchObject({
      SOURCE_QUEUE_URL: 'https://sqs/outbox',
      OUTBOX_DLQ_URL: 'https://sqs/outbox-dlq',
      MAX_ATTEMPTS: 4,
    });
    expect(() => parseEnv(ProcessEnvSchema, { ...processBase, RETRY_MAX_SECONDS: '43201' })).toThrow(
      /RETRY_MAX_SECONDS/,
    );
    expect(() => parseEnv(ProcessEnvSchema, { ...processBase, MAX_ATTEMPTS: '0' })).toThrow(/MAX_ATTEMPTS/);
  });

  it('gives cart-check its DLQ', () => {
    const env = parseEnv(CartCheckEnvSchema, {
      TABLE_NAME: 't',
      OUTBOX_QUEUE_URL: 'o',
      CART_CHECK_DLQ_URL: 'https://sqs/cc-dlq',
    });
    expect(env.CART_CHECK_DLQ_URL).toBe('https://sqs/cc-dlq');
  });
});
