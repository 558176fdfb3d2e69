import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ActivityRecorder, type ActivityRecorderDeps } from '../activity/activity-recorder.js';
import { DynamoActivityLog } from '../activity/dynamo-activity-log.js';
import { systemClock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';

/** The activity settings of a function's environment (shared/config/env.ts). */
interface ActivityEnv {
  readonly ACTIVITY_LOG?: 'on' | 'off';
  readonly ACTIVITY_RETENTION_DAYS: number;
  readonly TABLE_NAME?: string;
}

/** Whether the activity record is on: as set, else wherever the function has the table. */
const activityLogOn = (env: ActivityEnv): boolean =>
  env.ACTIVITY_LOG === 'on' || (env.ACTIVITY_LOG === undefined && env.TABLE_NAME !== undefined);

/**
 * The activity recorder of a function, or undefined when ACTIVITY_LOG is off (the hooks then do nothing). Only
 * process passes an eraser (it handles redacts): the other functions are granted no Query or DeleteItem for it.
 */
export const activityRecorderFor = (
  env: ActivityEnv,
  dynamo: () => DynamoDBClient,
  telemetry: Telemetry,
  options: Pick<ActivityRecorderDeps, 'eraser' | 'subjectOfEnvelope' | 'customerIdOf'> = {},
): ActivityRecorder | undefined => {
  if (!activityLogOn(env) || env.TABLE_NAME === undefined) return undefined;
  return new ActivityRecorder({
    log: new DynamoActivityLog(
      dynamo(),
      { tableName: env.TABLE_NAME, retentionDays: env.ACTIVITY_RETENTION_DAYS },
      systemClock,
    ),
    ...options,
    clock: systemClock,
    telemetry,
  });
};
