/** A message with optional string attributes (e.g. a failure reason on a parked message). */
export interface QueueMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Port: a queue the core can send to (SQS in AWS and in the local stack). */
export interface MessageQueue {
  send(message: QueueMessage): Promise<void>;
  /** Sends several messages in as few requests as the queue allows; throws unless every one was accepted. */
  sendBatch(messages: readonly QueueMessage[]): Promise<void>;
}

/** A received message as the delay port needs it: its receipt and the queue it came from. */
export interface ReceivedMessage {
  readonly receiptHandle: string;
  /** The source queue's ARN, as Lambda's SQS event carries it. */
  readonly eventSourceARN?: string;
}

/** Port: the queue a worker reads from; a failed message is hidden for a while before it is received again. */
export interface SourceQueue {
  /** Makes the message visible again only after `seconds` (SQS ChangeMessageVisibility, at most 12 h). */
  delay(message: ReceivedMessage, seconds: number): Promise<void>;
}
