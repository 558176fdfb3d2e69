import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

const QueueRefSchema = z.object({ url: z.string().min(1), arn: z.string().min(1) });

/**
 * `<LOCAL_DATA_DIR>/stack.json`: how the ops CLI finds a running local stack (`npm start` writes it and removes it
 * on stop). Extra keys beyond the contract: `pid` (to tell a stale file from a running stack) and `schedulerFile`
 * (the local stand-in for EventBridge Scheduler, through which cart checks are run again).
 */
const LocalStackFileSchema = z.object({
  pid: z.number().int().positive().optional(),
  sqsEndpoint: z.string().min(1),
  dynamoEndpoint: z.string().min(1),
  apiUrl: z.string().min(1),
  tableName: z.string().min(1),
  schedulerFile: z.string().min(1).optional(),
  queues: z.object({
    inbox: QueueRefSchema,
    inboxDlq: QueueRefSchema,
    outbox: QueueRefSchema,
    outboxDlq: QueueRefSchema,
    cartCheckDlq: QueueRefSchema.optional(),
    schedulerDlq: QueueRefSchema.optional(),
  }),
});
/** The local stack discovery file's content. */
export type LocalStackFile = z.infer<typeof LocalStackFileSchema>;

/** The discovery file's path in a data folder. */
export const localStackFilePath = (dataDir: string): string => join(dataDir, 'stack.json');

/** Writes the discovery file atomically (a reader never sees half a file). */
export const writeLocalStackFile = (dataDir: string, stack: LocalStackFile): string => {
  mkdirSync(dataDir, { recursive: true });
  const path = localStackFilePath(dataDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(LocalStackFileSchema.parse(stack), null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return path;
};

/** Removes the discovery file (on stop). */
export const removeLocalStackFile = (dataDir: string): void => {
  rmSync(localStackFilePath(dataDir), { force: true });
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Reads the discovery file; undefined when there is none. Throws with a plain reason when it is stale or broken. */
export const readLocalStackFile = (dataDir: string): LocalStackFile | undefined => {
  const path = localStackFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  const parsed = LocalStackFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a local stack file: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.pid !== undefined && !isAlive(parsed.data.pid)) {
    throw new Error(
      `${path} names a local stack (pid ${parsed.data.pid}) that is no longer running; start it with \`npm start\``,
    );
  }
  return parsed.data;
};
