/** A message with optional string attributes (e.g. a failure reason on a parked message). */
export interface QueueMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Port: a queue the core can send to (SQS in AWS and in the local stack). */
export interface MessageQueue {
  send(message: QueueMessage): Promise<void>;
}
