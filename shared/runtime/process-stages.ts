import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ProcessEnv } from '../config/env.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';

/** Clients and services the process stages are built from (created once per container by wireProcess). */
export interface StageContext {
  readonly env: ProcessEnv;
  readonly dynamo: DynamoDBClient;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/** The process stages of a deployment, in the order they run. */
export const buildProcessStages = (_context: StageContext): ProcessStage[] => [];
