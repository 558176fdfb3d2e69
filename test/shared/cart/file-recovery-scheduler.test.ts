import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRecoveryScheduler } from '../../../shared/cart/file-recovery-scheduler.js';
import { scheduleName } from '../../../shared/cart/recovery-scheduler.js';

const CHECK = {
  shop: 'demo.myshopify.com',
  cart_token: 'cart-1',
  step: 1,
  due_at: new Date('2026-11-28T11:00:00.400Z'),
};

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'schedules-')), 'nested', 'schedules.json');

describe('FileRecoveryScheduler', () => {
  it('keeps schedules across instances (a restart), one per name, and cancels by name', async () => {
    const path = fileIn();
    await new FileRecoveryScheduler(path).schedule(CHECK);
    await new FileRecoveryScheduler(path).schedule(CHECK);
    const restarted = new FileRecoveryScheduler(path);
    expect(restarted.pending()).toEqual([
      {
        name: scheduleName(CHECK),
        due_at: '2026-11-28T11:00:01.000Z',
        input: { shop: 'demo.myshopify.com', cart_token: 'cart-1', step: 1 },
        attempts: 0,
      },
    ]);
    expect(restarted.due(new Date('2026-11-28T11:00:00.999Z'))).toEqual([]);
    expect(restarted.due(new Date('2026-11-28T11:00:01.000Z')).map((s) => s.name)).toEqual([
      scheduleName(CHECK),
    ]);
    await restarted.cancel(CHECK);
    await restarted.cancel(CHECK);
    expect(new FileRecoveryScheduler(path).pending()).toEqual([]);
  });

  it('retries a failed invocation later and moves it to the dead list when out of attempts', async () => {
    const scheduler = new FileRecoveryScheduler(fileIn());
    await scheduler.schedule(CHECK);
    const name = scheduleName(CHECK);
    scheduler.failed(name, 'boom', new Date('2026-11-28T11:00:05.000Z'), 1);
    expect(scheduler.due(new Date('2026-11-28T11:00:02.000Z'))).toEqual([]);
    expect(scheduler.due(new Date('2026-11-28T11:00:05.000Z'))).toMatchObject([
      { name, attempts: 1, last_error: 'boom', retry_at: '2026-11-28T11:00:05.000Z' },
    ]);
    scheduler.failed(name, 'boom again', new Date('2026-11-28T11:00:09.000Z'), 1);
    expect(scheduler.pending()).toEqual([]);
    expect(scheduler.dead()).toMatchObject([{ name, attempts: 2, last_error: 'boom again' }]);
  });
});
