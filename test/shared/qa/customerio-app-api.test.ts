import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/local-stack.js';
import { localQaContext, startQaStack } from '../../../local/qa-local.js';
import { appApiDestination } from '../../../shared/qa/customerio-app-api.js';
import { exitCodeOf, renderReports, runQaPlan } from '../../../shared/qa/qa-runner.js';
import { startFakeAppApi } from '../../helpers/fake-app-api.js';

describe("the QA plan checked through Customer.io's App API (a local stand-in)", () => {
  let stack: LocalStack;
  let api: Awaited<ReturnType<typeof startFakeAppApi>>;

  beforeAll(async () => {
    stack = await startQaStack();
    const capture = stack.capture;
    if (!capture) throw new Error('expected the local capture');
    api = await startFakeAppApi(() => capture.operations(), 'app-key');
  });
  afterAll(async () => {
    await api?.close();
    await stack?.stop();
  });

  it('finds each QA person by email and checks their events and attributes, with the App API key as a bearer', async () => {
    // Act
    const reports = await runQaPlan(localQaContext(stack, `api${Date.now().toString(36)}`), {
      destination: appApiDestination({ apiKey: 'app-key', baseUrl: api.url }),
      only: ['profile', 'order', 'review'],
      timeoutMs: 20_000,
      pollMs: 200,
      out: () => undefined,
    });

    // Assess
    expect(renderReports(reports)).toContain('3 passed, 0 failed');
    expect(exitCodeOf(reports)).toBe(0);
    expect(
      api.requests.some((r) => /^GET \/v1\/customers\?email=qa%2Bapi[0-9a-z]+-order%40example\.com$/.test(r)),
    ).toBe(true);
    expect(api.requests.some((r) => /\/activities\?id_type=cio_id&type=event&limit=100$/.test(r))).toBe(true);
  });

  it('reports a person Customer.io does not know as not found, and a refused key as an error', async () => {
    const destination = appApiDestination({ apiKey: 'app-key', baseUrl: api.url });
    expect(await destination.person({ id: '1', email: 'nobody@example.com' })).toEqual({
      found: false,
      attributes: {},
      events: [],
    });
    const wrongKey = appApiDestination({ apiKey: 'wrong', baseUrl: api.url });
    await expect(wrongKey.person({ id: '1', email: 'x@example.com' })).rejects.toThrow('answered 401');
  });
});
