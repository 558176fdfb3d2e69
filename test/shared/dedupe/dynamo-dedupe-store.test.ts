import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

describe('DynamoDedupeStore on dynalite', () => {
  let table: TestTable;
  let store: DynamoDedupeStore;
  const t0 = new Date('2026-11-28T12:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  beforeAll(async () => {
    table = await startTestTable();
    store = new DynamoDedupeStore(table.client, {
      tableName: table.tableName,
      leaseSeconds: 60,
      retentionDays: 30,
    });
  });
  afterAll(async () => table.close());

  it('claims once, then reports in-progress, then duplicate after completion', async () => {
    const first = await store.claim('k1', t0);
    expect(first.status).toBe('claimed');
    expect((await store.claim('k1', later(1))).status).toBe('in_progress');
    if (first.status !== 'claimed') throw new Error('unreachable');
    await store.complete('k1', first.token, later(2));
    expect((await store.claim('k1', later(3))).status).toBe('duplicate');
  });

  it('lets one of 20 concurrent owners own a key, its retries own it again, and disown gives it back', async () => {
    const owners = Array.from({ length: 20 }, (_, i) => `delivery#shopify#demo#wh-${i}`);
    // Each owner is a delivery working under its own claim, as in the process worker.
    for (const owner of owners) expect((await store.claim(owner, t0)).status).toBe('claimed');
    const won = await Promise.all(owners.map((owner) => store.own('owned-1', owner, t0)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const owner = owners[won.indexOf(true)] ?? '';
    const other = owners.find((o) => o !== owner) ?? '';
    // A conflict is an answer (another delivery's key: a duplicate), never an error.
    expect(await store.own('owned-1', other, later(1))).toBe(false);
    expect(await store.own('owned-1', owner, later(2))).toBe(true);
    await store.disown('owned-1', other);
    expect(await store.own('owned-1', other, later(3))).toBe(false);
    await store.disown('owned-1', owner);
    expect(await store.own('owned-1', other, later(4))).toBe(true);
  });

  it('parks an ownership write on a key over the DynamoDB limit as key_too_long, not as a retry', async () => {
    const error = await store
      .own(`order-completed#demo#${'9'.repeat(2_100)}`, 'delivery#x', t0)
      .catch((e) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code: 'key_too_long' });
  });

  it('lets exactly one of 20 concurrent claims win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('k-concurrent', t0)));
    expect(results.filter((r) => r.status === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'in_progress')).toHaveLength(19);
  });

  it('recovers a crashed claim only after its lease expired (decided in the condition, not by TTL)', async () => {
    const crashed = await store.claim('k-crash', t0);
    expect(crashed.status).toBe('claimed');
    expect((await store.claim('k-crash', later(59))).status).toBe('in_progress');
    const takeover = await store.claim('k-crash', later(61));
    expect(takeover.status).toBe('claimed');
    if (crashed.status !== 'claimed' || takeover.status !== 'claimed') throw new Error('unreachable');
    // The crashed worker wakes up late: its release must not free the new owner's claim.
    await store.release('k-crash', crashed.token);
    expect((await store.claim('k-crash', later(62))).status).toBe('in_progress');
    await store.complete('k-crash', takeover.token, later(63));
    expect((await store.claim('k-crash', later(64))).status).toBe('duplicate');
  });

  it("leaves an owned key to its owner while the owner's delivery claim counts, and hands it over once it does not", async () => {
    // Delivery A claims itself and owns the event; it is working (within its lease).
    const a = await store.claim('delivery#a', t0);
    if (a.status !== 'claimed') throw new Error('unreachable');
    expect(await store.own('event#1', 'delivery#a', t0)).toBe(true);
    expect(await store.own('event#1', 'delivery#b', later(10))).toBe(false);
    // A completed: it sent the event, so the key stays its own for good.
    await store.complete('delivery#a', a.token, later(20));
    expect(await store.own('event#1', 'delivery#b', later(86_400))).toBe(false);

    // Delivery C owns another event, then dies before sending: its claim is never completed and its lease runs out.
    expect((await store.claim('delivery#c', t0)).status).toBe('claimed');
    expect(await store.own('event#2', 'delivery#c', t0)).toBe(true);
    expect(await store.own('event#2', 'delivery#d', later(30))).toBe(false);
    expect((await store.claim('delivery#d', later(61))).status).toBe('claimed');
    expect(await store.own('event#2', 'delivery#d', later(61))).toBe(true);
    // C's retry comes back: D holds the key under a live claim, so C's copy is a duplicate.
    expect((await store.claim('delivery#c', later(62))).status).toBe('claimed');
    expect(await store.own('event#2', 'delivery#c', later(62))).toBe(false);
  });

  it('hands a stranded key to exactly one of 20 deliveries that find it at once', async () => {
    expect((await store.claim('delivery#dead', t0)).status).toBe('claimed');
    expect(await store.own('event#3', 'delivery#dead', t0)).toBe(true);
    const owners = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const claim = await store.claim(`delivery#live-${i}`, later(120));
        expect(claim.status).toBe('claimed');
        return store.own('event#3', `delivery#live-${i}`, later(120));
      }),
    );
    expect(owners.filter(Boolean)).toHaveLength(1);
  });

  it('release gives the key back at once for a retry', async () => {
    const claim = await store.claim('k-release', t0);
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    await store.release('k-release', claim.token);
    expect((await store.claim('k-release', later(1))).status).toBe('claimed');
  });

  it('treats a completed record past its retention as absent', async () => {
    const claim = await store.claim('k-retention', t0);
    if (claim.status !== 'claimed') throw new Error('expected a claim');
    await store.complete('k-retention', claim.token, t0);
    expect((await store.claim('k-retention', later(29 * 86_400))).status).toBe('duplicate');
    expect((await store.claim('k-retention', later(31 * 86_400))).status).toBe('claimed');
  });
});

describe('DynamoDedupeStore across a restart of the on-disk emulator', () => {
  it('keeps completed claims when dynalite restarts on the same folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dedupe-'));
    try {
      const now = new Date();
      const first = await startTestTable({ path: dir });
      const store1 = new DynamoDedupeStore(first.client, {
        tableName: first.tableName,
        leaseSeconds: 60,
        retentionDays: 30,
      });
      const claim = await store1.claim('persisted', now);
      if (claim.status !== 'claimed') throw new Error('expected a claim');
      await store1.complete('persisted', claim.token, now);
      await first.close();

      const second = await startTestTable({ path: dir });
      const store2 = new DynamoDedupeStore(second.client, {
        tableName: second.tableName,
        leaseSeconds: 60,
        retentionDays: 30,
      });
      expect((await store2.claim('persisted', now)).status).toBe('duplicate');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
