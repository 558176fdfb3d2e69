import {
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** Progress of an SQS message move task, as ListMessageMoveTasks reports it. */
export interface MoveProgress {
  readonly status: string;
  readonly moved: number;
  readonly toMove: number | undefined;
  readonly failureReason: string | undefined;
}

/** How the move task is followed. */
export interface MoveOptions {
  /** Called at every poll. */
  readonly onProgress: (progress: MoveProgress) => void;
  /** Milliseconds between polls. */
  readonly pollMs?: number;
  /** Waits between polls (tests pass a fast one). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

const progressOf = (entry: ListMessageMoveTasksResultEntry | undefined): MoveProgress => ({
  status: entry?.Status ?? 'UNKNOWN',
  moved: entry?.ApproximateNumberOfMessagesMoved ?? 0,
  toMove: entry?.ApproximateNumberOfMessagesToMove,
  failureReason: entry?.FailureReason,
});

/**
 * Moves every message of a DLQ to `destinationArn` with SQS's own redrive (StartMessageMoveTask) and follows it
 * with ListMessageMoveTasks until it ends. The destination is always explicit: messages a worker parked with
 * SendMessage have no "original source" for SQS to return them to. If a task is already running on this DLQ (one
 * at a time is allowed), that task is followed instead of failing. Moved messages are new messages (new id,
 * receive count 0, retention restarted), so the looks the CLI took at them in the DLQ do not carry over.
 */
export const moveAll = async (
  sqs: SQSClient,
  sourceArn: string,
  destinationArn: string,
  options: MoveOptions,
): Promise<MoveProgress & { readonly followedExisting: boolean }> => {
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let followedExisting = false;
  let handle: string | undefined;
  // A task that finished no longer lists its handle; it is ours if it started after we asked (clock skew allowed).
  let notBefore = Date.now() - 5 * 60_000;
  try {
    handle = (
      await sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }),
      )
    ).TaskHandle;
  } catch (error) {
    const running = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }));
    const current = running.Results?.[0];
    if (current?.Status !== 'RUNNING') throw error;
    followedExisting = true;
    handle = current.TaskHandle;
    notBefore = current.StartedTimestamp ?? notBefore;
  }
  for (let poll = 0; ; poll += 1) {
    const out = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }));
    const latest = out.Results?.[0];
    const ours =
      latest &&
      ((handle !== undefined && latest.TaskHandle === handle) || (latest.StartedTimestamp ?? 0) >= notBefore)
        ? latest
        : undefined;
    const progress = progressOf(ours);
    options.onProgress(progress);
    if (ours && FINISHED.has(progress.status)) return { ...progress, followedExisting };
    if (!ours && poll >= 30) throw new Error('SQS does not list the move task that was started');
    await sleep(options.pollMs ?? 2_000);
  }
};
