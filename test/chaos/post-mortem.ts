import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../../local/local-stack.js';
import type { Log, LogFields } from '../../shared/ports/telemetry.js';

/** One line the local stack logged (event sources, local scheduler), kept for the post-mortem. */
interface JournalLine {
  readonly at: string;
  readonly level: string;
  readonly message: string;
  readonly fields?: LogFields;
}

/** A Log that keeps what the local stack says (the Lambdas log through Powertools, silenced in chaos runs). */
export const journal = (): Log & { readonly lines: JournalLine[] } => {
  const lines: JournalLine[] = [];
  const keep = (level: string) => (message: string, fields?: LogFields) =>
    lines.push({ at: new Date().toISOString(), level, message, ...(fields ? { fields } : {}) });
  return { lines, debug: () => undefined, info: keep('info'), warn: keep('warn'), error: keep('error') };
};

/** The DynamoDB items whose key holds `text` (a cart token, an order id), one line each. */
const itemsHolding = async (stack: LocalStack, text: string): Promise<string[]> => {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stack.dynamo.send(
      new ScanCommand({
        TableName: stack.tableName,
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      if (JSON.stringify(item.pk).includes(text)) found.push(`item ${JSON.stringify(item).slice(0, 700)}`);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
};

/** The values a case is known by: `Checkout Abandoned cart=abc step=1` → abc (steps and names left out). */
const tokensOf = (key: string): string[] =>
  [...key.matchAll(/=([^\s]+)/g)].flatMap((m) => (m[1] && m[1].length > 3 ? [m[1]] : []));

/**
 * What the run left about some cases: their DynamoDB items, the local stack's log lines that name them, and dead
 * schedules; for a lost event, the start of an explanation, and for `--trace`, the whole story of one case.
 */
export const postMortem = async (
  stack: LocalStack,
  keys: readonly string[],
  lines: readonly JournalLine[],
): Promise<string[]> => {
  const out: string[] = [];
  for (const key of keys.slice(0, 5)) {
    out.push(`post-mortem: ${key}`);
    for (const token of tokensOf(key)) {
      out.push(...(await itemsHolding(stack, token)).map((line) => `  ${line}`));
      for (const line of lines) {
        if (JSON.stringify(line.fields ?? {}).includes(token)) {
          out.push(`  log ${line.at} ${line.level} ${line.message} ${JSON.stringify(line.fields)}`);
        }
      }
      for (const schedule of [...stack.scheduler.pending(), ...stack.scheduler.dead()]) {
        if (JSON.stringify(schedule).includes(token)) out.push(`  schedule ${JSON.stringify(schedule)}`);
      }
    }
  }
  return out;
};
