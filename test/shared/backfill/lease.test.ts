import { describe, expect, it } from 'vitest';
import { takeLease } from '../../../shared/backfill/lease.js';
import type { RunStateStore } from '../../../shared/backfill/run-state-store.js';

/** A store whose lease can be taken and renewed, and whose release write can be made to fail. */
const storeWith = (releaseFails: boolean) =>
  ({
    acquire: async () => ({ ok: true, token: 't1' }),
    renew: async () => true,
    release: async () => {
      if (releaseFails) throw new Error('DynamoDB unavailable');
    },
  }) as unknown as RunStateStore;

describe('takeLease', () => {
  it('says whether the lease was given back, and never throws for a failed release (it runs out by itself)', async () => {
    const clock = () => new Date('2026-12-01T00:00:00Z');
    const held = await takeLease(storeWith(false), 'backfill#shop', 'host#1', 60_000, clock);
    expect(await held.release()).toBe(true);
    const stuck = await takeLease(storeWith(true), 'backfill#shop', 'host#1', 60_000, clock);
    expect(await stuck.release()).toBe(false);
  });
});
