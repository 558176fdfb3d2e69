import type { DeadLetter } from './dead-letter.js';
import { DLQS, type DlqName } from './dead-letter-queues.js';
import type { Depth } from './dlq-walk.js';

/** One DLQ's numbers. */
export interface DlqStats {
  readonly dlq: DlqName;
  /** Why it could not be looked at (absent from the stack, no local equivalent). */
  readonly missing?: string;
  readonly depth?: Depth;
  /** Messages received to count them by code (0 with --no-receive). */
  readonly read: number;
  /** Receives made (each +1 on that message's ApproximateReceiveCount in the DLQ). */
  readonly receives: number;
  /** Whether every waiting message was read (otherwise the counts are a sample). */
  readonly complete: boolean;
  readonly byCode: readonly { readonly code: string; readonly count: number }[];
  /** The earliest SentTimestamp among those read. */
  readonly oldestSentAt?: string;
  /** The redrive target. */
  readonly redrivesTo: string;
}

/** What `stats` says about receiving; the same words go in its --help. */
export const RECEIVE_NOTE = [
  'Depth comes from GetQueueAttributes and touches nothing. Counting by failure code needs the messages',
  'themselves (SQS has no server-side count by attribute), so stats receives them, hidden for a few seconds so',
  "none is counted twice, and makes them visible again at once. Each receive adds 1 to that message's",
  'ApproximateReceiveCount in the DLQ. That count changes nothing: the DLQs have no redrive policy (no',
  'maxReceiveCount moves them anywhere), a redrive creates new messages whose count starts at 0, and the',
  "attempts a worker made are kept in the message's own `attempts` attribute. The oldest age is known only for",
  'the messages read (CloudWatch ApproximateAgeOfOldestMessage has it in AWS, a minute late). With',
  '--no-receive stats shows depths only and changes nothing.',
].join('\n');

/** Aggregates one DLQ's depth and the letters read from it. Pure. */
export const dlqStats = (
  dlq: DlqName,
  depth: Depth,
  letters: readonly DeadLetter[],
  receives: number,
  limited: boolean,
): DlqStats => {
  const counts = new Map<string, number>();
  for (const letter of letters) counts.set(letter.failure.code, (counts.get(letter.failure.code) ?? 0) + 1);
  const sent = letters.flatMap((l) => (l.sentAt ? [l.sentAt] : [])).sort();
  return {
    dlq,
    depth,
    read: letters.length,
    receives,
    complete: !limited && letters.length >= depth.visible,
    byCode: [...counts.entries()]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    oldestSentAt: sent[0],
    redrivesTo: redriveLabel(dlq),
  };
};

/** Where a DLQ's messages go back to, in words. */
export const redriveLabel = (dlq: DlqName): string =>
  DLQS[dlq].target === 'cart-check' ? 'cart-check (re-run)' : `${DLQS[dlq].target} queue`;

/** "2h 05m", "3m 12s", "40s". */
export const formatAge = (fromIso: string, now: Date): string => {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(fromIso)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
};

const pad = (text: string, width: number): string => text.padEnd(width);

/** The stats table and the honest note on what reading changed. */
export const renderStats = (
  label: string,
  stats: readonly DlqStats[],
  now: Date,
  receiving: boolean,
): string => {
  const lines = [`DLQs of ${label} at ${now.toISOString()}`, ''];
  lines.push(
    `${pad('dlq', 11)}${pad('waiting', 9)}${pad('in flight', 11)}${pad('oldest', 10)}${pad('redrives to', 21)}failure codes`,
  );
  for (const s of stats) {
    if (!s.depth) {
      lines.push(`${pad(s.dlq, 11)}n/a: ${s.missing ?? 'not found'}`);
      continue;
    }
    const empty = s.depth.visible === 0;
    const codes = empty
      ? '-'
      : !receiving
        ? '(not read: --no-receive)'
        : s.byCode.length === 0
          ? '-'
          : `${s.byCode.map((c) => `${c.code} ${c.count}`).join(', ')}${s.complete ? '' : ` (sample: read ${s.read} of ~${s.depth.visible})`}`;
    lines.push(
      `${pad(s.dlq, 11)}${pad(String(s.depth.visible), 9)}${pad(String(s.depth.inFlight), 11)}${pad(
        s.oldestSentAt ? formatAge(s.oldestSentAt, now) : empty ? '-' : '?',
        10,
      )}${pad(s.redrivesTo, 21)}${codes}`,
    );
  }
  const receives = stats.reduce((n, s) => n + s.receives, 0);
  lines.push('');
  lines.push(
    receiving
      ? `Read ${stats.reduce((n, s) => n + s.read, 0)} message(s) with ${receives} receive(s) and released them at once: each read message's ApproximateReceiveCount in its DLQ went up by 1 (no other change; redrive ignores it). --no-receive reads depths only.`
      : 'Depths only (--no-receive): nothing was received, no receive count changed; codes and ages need a read.',
  );
  return `${lines.join('\n')}\n`;
};
