import { describe, expect, it } from 'vitest';
import { readDeadLetter } from '../../../shared/operations/dead-letter.js';
import { dlqStats, formatAge, renderStats } from '../../../shared/operations/dlq-stats.js';

const letter = (code: string | undefined, sent: number) =>
  readDeadLetter('inbox', {
    MessageId: `m-${code}-${sent}`,
    Body: '{}',
    Attributes: { SentTimestamp: String(sent) },
    MessageAttributes: code ? { failure_code: { StringValue: code } } : {},
  });

describe('dlqStats', () => {
  const now = new Date('2026-11-28T12:00:00.000Z');
  const t = (minutesAgo: number) => now.getTime() - minutesAgo * 60_000;

  it('counts by code, most first, with the oldest send time', () => {
    const stats = dlqStats(
      'inbox',
      { visible: 3, inFlight: 0, delayed: 0 },
      [letter('payload_invalid', t(5)), letter(undefined, t(125)), letter('payload_invalid', t(1))],
      3,
      false,
    );
    expect(stats.byCode).toEqual([
      { code: 'payload_invalid', count: 2 },
      { code: 'max_receive_count', count: 1 },
    ]);
    expect(stats.oldestSentAt).toBe(new Date(t(125)).toISOString());
    expect(stats.complete).toBe(true);
    expect(stats.redrivesTo).toBe('inbox queue');
  });

  it('calls a partial read a sample, in numbers and in words', () => {
    const stats = dlqStats(
      'inbox',
      { visible: 2500, inFlight: 0, delayed: 0 },
      [letter('x', t(1))],
      1000,
      true,
    );
    expect(stats.complete).toBe(false);
    expect(renderStats('local', [stats], now, true)).toContain('(sample: read 1 of ~2500)');
  });

  it('says plainly when nothing was received', () => {
    const text = renderStats(
      'local',
      [dlqStats('outbox', { visible: 4, inFlight: 1, delayed: 0 }, [], 0, false)],
      now,
      false,
    );
    expect(text).toMatch(/outbox\s+4\s+1\s+\?\s+outbox queue\s+\(not read: --no-receive\)/);
    expect(text).toContain('nothing was received, no receive count changed');
  });

  it('formats ages for a terminal', () => {
    expect(formatAge(new Date(t(0.5)).toISOString(), now)).toBe('30s');
    expect(formatAge(new Date(t(3.2)).toISOString(), now)).toBe('3m 12s');
    expect(formatAge(new Date(t(125)).toISOString(), now)).toBe('2h 05m');
    expect(formatAge(new Date(t(60 * 50)).toISOString(), now)).toBe('2d 02h');
  });
});
