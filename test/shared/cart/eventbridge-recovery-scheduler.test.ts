import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeRecoveryScheduler } from '../../../shared/cart/eventbridge-recovery-scheduler.js';
import {
  atExpression,
  type ScheduledCheck,
  scheduleClientToken,
  scheduleName,
} from '../../../shared/cart/recovery-scheduler.js';
import { DependencyError } from '../../../shared/errors.js';
import { MemoryCounters } from '../../../shared/ports/telemetry.js';
import { type SchedulerFakeServer, startSchedulerFakeServer } from '../../helpers/scheduler-fake-server.js';

const OPTIONS = {
  groupName: 'cart-recovery',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:cart-check',
  roleArn: 'arn:aws:iam::123456789012:role/cart-scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:cart-check-dlq',
  maximumRetryAttempts: 10,
  maximumEventAgeSeconds: 21_600,
};

const CHECK: ScheduledCheck = {
  shop: 'demo.myshopify.com',
  cart_token: 'Z2NwLXVzLWVhc3QxOjAxSjdXRjdOQjY0NlFFNFdQVEg0MTRFM1E2',
  step: 1,
  due_at: new Date('2026-11-28T11:00:00.000Z'),
};

describe('EventBridgeRecoveryScheduler (real SchedulerClient against a fake Scheduler)', () => {
  let fake: SchedulerFakeServer;
  let client: SchedulerClient;
  let scheduler: EventBridgeRecoveryScheduler;
  let counters: MemoryCounters;

  beforeAll(async () => {
    fake = await startSchedulerFakeServer();
    client = new SchedulerClient({
      region: 'us-east-1',
      endpoint: fake.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    counters = new MemoryCounters();
    scheduler = new EventBridgeRecoveryScheduler(client, OPTIONS, counters);
  });
  afterAll(async () => {
    client.destroy();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.schedules.clear();
  });

  it('creates a one-time UTC schedule with the group, target, role, DLQ, retry policy and Input', async () => {
    await scheduler.schedule(CHECK);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe('POST');
    expect(request?.name).toBe(scheduleName(CHECK));
    expect(request?.name).toMatch(/^cart-[0-9a-f]{40}-s1$/);
    expect(request?.body).toEqual({
      GroupName: 'cart-recovery',
      ScheduleExpression: 'at(2026-11-28T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: scheduleClientToken(CHECK, 'create'),
      Description: 'cart recovery check, step 1',
      Target: {
        Arn: OPTIONS.targetArn,
        RoleArn: OPTIONS.roleArn,
        Input: JSON.stringify({ shop: CHECK.shop, cart_token: CHECK.cart_token, step: 1 }),
        DeadLetterConfig: { Arn: OPTIONS.deadLetterArn },
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 21_600 },
      },
    });
    const stored = await client.send(
      new GetScheduleCommand({ Name: scheduleName(CHECK), GroupName: 'cart-recovery' }),
    );
    expect(stored.ScheduleExpression).toBe('at(2026-11-28T11:00:00)');
    expect(stored.Target?.RoleArn).toBe(OPTIONS.roleArn);
  });

  it('treats a repeated create (409 ConflictException) as already scheduled', async () => {
    await scheduler.schedule(CHECK);
    await expect(scheduler.schedule(CHECK)).resolves.toBeUndefined();
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(fake.requests[0]?.body?.ClientToken).toBe(fake.requests[1]?.body?.ClientToken);
    expect(fake.schedules.size).toBe(1);
  });

  it('deletes by name and group, and a missing schedule (404) counts as deleted', async () => {
    await scheduler.schedule(CHECK);
    await scheduler.cancel(CHECK);
    await scheduler.cancel(CHECK);
    expect(fake.requests.map((r) => [r.method, r.query.groupName ?? null])).toEqual([
      ['POST', null],
      ['DELETE', 'cart-recovery'],
      ['DELETE', 'cart-recovery'],
    ]);
    expect(fake.requests[1]?.query.clientToken).toBe(scheduleClientToken(CHECK, 'delete'));
    expect(fake.schedules.size).toBe(0);
  });

  it('throws a DependencyError on a transient failure so the caller retries', async () => {
    fake.failNext(500, 'InternalServerException');
    await expect(scheduler.schedule(CHECK)).rejects.toBeInstanceOf(DependencyError);
    fake.failNext(429, 'ThrottlingException');
    await expect(scheduler.cancel(CHECK)).rejects.toBeInstanceOf(DependencyError);
  });

  it('counts every failed CreateSchedule (ScheduleCreateFailed), but not an already existing schedule', async () => {
    const before = counters.get('ScheduleCreateFailed');
    await scheduler.schedule(CHECK);
    await scheduler.schedule(CHECK);
    expect(counters.get('ScheduleCreateFailed')).toBe(before);
    fake.failNext(500, 'InternalServerException');
    await expect(scheduler.schedule({ ...CHECK, step: 2 })).rejects.toBeInstanceOf(DependencyError);
    fake.failNext(400, 'ValidationException');
    await expect(scheduler.schedule({ ...CHECK, step: 3 })).rejects.toBeInstanceOf(DependencyError);
    expect(counters.get('ScheduleCreateFailed')).toBe(before + 2);
  });
});

describe('schedule naming', () => {
  it('stays within the 64-character [0-9a-zA-Z-_.] rule for any shop and token', () => {
    const long = {
      ...CHECK,
      shop: `${'x'.repeat(200)}.myshopify.com`,
      cart_token: 'é/?'.repeat(100),
      step: 12,
    };
    const name = scheduleName(long);
    expect(name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    expect(name.length).toBe(49);
    expect(scheduleClientToken(long, 'create')).toMatch(/^[a-zA-Z0-9-_]{64}$/);
  });

  it('gives each step and each due time its own name, and the same check the same name', () => {
    const names = new Set([
      scheduleName(CHECK),
      scheduleName({ ...CHECK, step: 2 }),
      scheduleName({ ...CHECK, due_at: new Date('2026-11-28T11:05:00.000Z') }),
      scheduleName({ ...CHECK, cart_token: 'other' }),
    ]);
    expect(names.size).toBe(4);
    expect(scheduleName({ ...CHECK })).toBe(scheduleName(CHECK));
  });

  it('writes at() in UTC without zone suffix, rounding milliseconds up to the next second', () => {
    expect(atExpression(new Date('2026-11-28T10:59:59.001Z'))).toBe('at(2026-11-28T11:00:00)');
    expect(atExpression(new Date('2026-11-28T11:00:00.000Z'))).toBe('at(2026-11-28T11:00:00)');
  });
});
