import type { ActivityRecord } from '../../shared/activity/activity-entry.js';
import type { ActivityEraser, ActivityLog } from '../../shared/activity/activity-log.js';

/** An activity log in memory that keeps every record appended, and can be told to fail. */
export class MemoryActivityLog implements ActivityLog, ActivityEraser {
  readonly records: ActivityRecord[] = [];
  failWith?: Error;
  async append(records: readonly ActivityRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.records.push(...records);
  }
  async forget(shop: string, subjects: readonly string[]): Promise<number> {
    const before = this.records.length;
    const kept = this.records.filter((r) => r.shop !== shop || !subjects.includes(r.subject));
    this.records.splice(0, this.records.length, ...kept);
    return before - kept.length;
  }
  /** The records of one kind. */
  ofKind<K extends ActivityRecord['entry']['kind']>(kind: K): ActivityRecord[] {
    return this.records.filter((r) => r.entry.kind === kind);
  }
}
