import {
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { type MoveProgress, moveAll } from '../../../shared/operations/move-task.js';

/**
 * fauxqs (the local SQS) has no StartMessageMoveTask, and no other emulator runs here, so this SQS is a script of
 * the documented answers: StartMessageMoveTask → TaskHandle; ListMessageMoveTasks → the newest task, with its
 * handle only while RUNNING.
 */
const scriptedSqs = (options: {
  start: () => { TaskHandle: string } | Error;
  tasks: ListMessageMoveTasksResultEntry[][];
}) => {
  const calls: string[] = [];
  let poll = 0;
  const client = {
    send: async (command: unknown) => {
      if (command instanceof StartMessageMoveTaskCommand) {
        calls.push(`start ${command.input.SourceArn} → ${command.input.DestinationArn}`);
        const answer = options.start();
        if (answer instanceof Error) throw answer;
        return answer;
      }
      if (command instanceof ListMessageMoveTasksCommand) {
        calls.push('list');
        const results = options.tasks[Math.min(poll, options.tasks.length - 1)] ?? [];
        poll += 1;
        return { Results: results };
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as SQSClient, calls };
};

const now = Date.now();
const running = (moved: number): ListMessageMoveTasksResultEntry => ({
  TaskHandle: 'h-1',
  Status: 'RUNNING',
  ApproximateNumberOfMessagesMoved: moved,
  ApproximateNumberOfMessagesToMove: 3,
  StartedTimestamp: now,
});

describe('moveAll (SQS StartMessageMoveTask + ListMessageMoveTasks)', () => {
  it('starts a task to the explicit destination and reports progress until it completes', async () => {
    const { client, calls } = scriptedSqs({
      start: () => ({ TaskHandle: 'h-1' }),
      tasks: [
        [running(0)],
        [running(2)],
        [
          {
            Status: 'COMPLETED',
            ApproximateNumberOfMessagesMoved: 3,
            ApproximateNumberOfMessagesToMove: 3,
            StartedTimestamp: now,
          },
        ],
      ],
    });
    const seen: MoveProgress[] = [];
    const result = await moveAll(client, 'arn:dlq', 'arn:inbox', {
      onProgress: (p) => seen.push(p),
      sleep: async () => undefined,
    });
    expect(calls[0]).toBe('start arn:dlq → arn:inbox');
    expect(seen.map((p) => `${p.status} ${p.moved}/${p.toMove}`)).toEqual([
      'RUNNING 0/3',
      'RUNNING 2/3',
      'COMPLETED 3/3',
    ]);
    expect(result).toMatchObject({ status: 'COMPLETED', moved: 3, followedExisting: false });
  });

  it('follows the task already running on the DLQ instead of failing (one task per queue at a time)', async () => {
    const { client } = scriptedSqs({
      start: () => new Error('There is already a task running'),
      tasks: [
        [running(1)],
        [running(1)],
        [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, StartedTimestamp: now }],
      ],
    });
    const result = await moveAll(client, 'arn:dlq', 'arn:inbox', {
      onProgress: () => undefined,
      sleep: async () => undefined,
    });
    expect(result).toMatchObject({ status: 'COMPLETED', followedExisting: true });
  });

  it('returns a failed task with its reason', async () => {
    const { client } = scriptedSqs({
      start: () => ({ TaskHandle: 'h-1' }),
      tasks: [[{ Status: 'FAILED', FailureReason: 'AccessDenied', StartedTimestamp: now }]],
    });
    const result = await moveAll(client, 'arn:dlq', 'arn:inbox', {
      onProgress: () => undefined,
      sleep: async () => undefined,
    });
    expect(result).toMatchObject({ status: 'FAILED', failureReason: 'AccessDenied' });
  });

  it('rethrows when the start fails and nothing is running', async () => {
    const { client } = scriptedSqs({ start: () => new Error('AccessDenied'), tasks: [[]] });
    await expect(
      moveAll(client, 'arn:dlq', 'arn:inbox', { onProgress: () => undefined, sleep: async () => undefined }),
    ).rejects.toThrow('AccessDenied');
  });

  it('does not take an older finished task for the new one', async () => {
    const { client } = scriptedSqs({
      start: () => ({ TaskHandle: 'h-2' }),
      tasks: [
        [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 9, StartedTimestamp: now - 3_600_000 }],
        [{ ...running(0), TaskHandle: 'h-2' }],
        [{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 1, StartedTimestamp: now }],
      ],
    });
    const result = await moveAll(client, 'arn:dlq', 'arn:inbox', {
      onProgress: () => undefined,
      sleep: async () => undefined,
    });
    expect(result.moved).toBe(1);
  });
});
