import { type ShopDirectory, ShopsConfigSchema, shopDirectory } from '../../shared/config/shops.js';
import type { ClaimResult, DedupeStore, OwnershipStore } from '../../shared/dedupe/dedupe-store.js';
import { withCurrentLogKeys } from '../../shared/ports/log-keys.js';
import type { MessageQueue, QueueMessage } from '../../shared/ports/message-queue.js';
import type { SecretProvider } from '../../shared/ports/secret-provider.js';
import {
  type Log,
  type LogFields,
  MemoryCounters,
  silentLog,
  type Telemetry,
} from '../../shared/ports/telemetry.js';

/** A queue that keeps what was sent, and can be told to fail. */
export class MemoryQueue implements MessageQueue {
  readonly sent: QueueMessage[] = [];
  failWith?: Error;
  async send(message: QueueMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(message);
  }
  async sendBatch(messages: readonly QueueMessage[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(...messages);
  }
  /** Bodies parsed as JSON. */
  json<T = unknown>(): T[] {
    return this.sent.map((m) => JSON.parse(m.body) as T);
  }
}

/** A secret document held in memory. */
export const staticSecrets = <T>(secrets: T): SecretProvider<T> => ({ get: async () => secrets });

/** A directory of configured shops, validated like `SHOPS` (a list of domains, or the JSON shape). */
export const testShops = (shops: readonly string[] | Record<string, unknown>): ShopDirectory =>
  shopDirectory(
    ShopsConfigSchema.parse(
      Array.isArray(shops) ? Object.fromEntries(shops.map((shop: string) => [shop, {}])) : shops,
    ),
  );

/** Telemetry with in-memory counters and no log output. */
export const testTelemetry = (): Telemetry & { counters: MemoryCounters } => ({
  log: silentLog,
  counters: new MemoryCounters(),
});

/** An in-memory DedupeStore with the same lease semantics as the DynamoDB one (for pure-core tests). */
export class MemoryDedupeStore implements DedupeStore, OwnershipStore {
  readonly owners = new Map<string, string>();
  readonly records = new Map<
    string,
    { status: 'IN_PROGRESS' | 'COMPLETED'; owner: string; leaseUntil: number }
  >();
  private next = 0;
  constructor(private readonly leaseMs = 60_000) {}
  async claim(key: string, now: Date): Promise<ClaimResult> {
    const existing = this.records.get(key);
    if (existing?.status === 'COMPLETED') return { status: 'duplicate' };
    if (existing && existing.leaseUntil >= now.getTime()) return { status: 'in_progress' };
    this.next += 1;
    const token = `t${this.next}`;
    this.records.set(key, { status: 'IN_PROGRESS', owner: token, leaseUntil: now.getTime() + this.leaseMs });
    return { status: 'claimed', token };
  }
  async complete(key: string, token: string): Promise<void> {
    const existing = this.records.get(key);
    if (existing?.owner === token) existing.status = 'COMPLETED';
  }
  async release(key: string, token: string): Promise<void> {
    const existing = this.records.get(key);
    if (existing?.owner === token && existing.status === 'IN_PROGRESS') this.records.delete(key);
  }
  async own(key: string, owner: string, now: Date): Promise<boolean> {
    const existing = this.owners.get(key);
    if (existing !== undefined && existing !== owner && this.claimCounts(existing, now)) return false;
    this.owners.set(key, owner);
    return true;
  }
  /** As DynamoDedupeStore: an owner counts while its own claim is completed or within its lease. */
  private claimCounts(claimKey: string, now: Date): boolean {
    const claim = this.records.get(claimKey);
    return claim?.status === 'COMPLETED' || (claim !== undefined && claim.leaseUntil >= now.getTime());
  }
  async disown(key: string, owner: string): Promise<void> {
    if (this.owners.get(key) === owner) this.owners.delete(key);
  }
}

/** One line a {@link MemoryLog} recorded, with the correlation keys in force when it was written. */
export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps every line (with the current correlation keys, as the real loggers add them). */
export class MemoryLog implements Log {
  readonly lines: LoggedLine[] = [];
  private write(level: LoggedLine['level'], message: string, fields?: LogFields): void {
    this.lines.push({ level, message, fields: withCurrentLogKeys(fields) ?? {} });
  }
  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.write('error', message, fields);
  }
}

/** Telemetry with in-memory counters and a log that keeps its lines. */
export const recordingTelemetry = (): Telemetry & { counters: MemoryCounters; log: MemoryLog } => ({
  log: new MemoryLog(),
  counters: new MemoryCounters(),
});
