import * as z from 'zod';
import {
  type ConnectorSettings,
  ConnectorSettingsSchema,
  type SettingsInput,
  STAGES,
  type Stage,
} from './connector-settings-schema.js';

/** Settings of a stage, with the stage. */
export interface ConnectorConfig extends ConnectorSettings {
  readonly stage: Stage;
}

/** What both stages start from. */
const COMMON_DEFAULTS: SettingsInput = {
  cioRegion: 'us',
  identifierStrategy: 'customer_id',
  eventNameOverrides: {},
  cartRecoveryStepsMinutes: [60, 1440],
  cartRetentionDays: 30,
  dedupeLeaseSeconds: 120,
  dedupeRetentionDays: 30,
  shops: {},
  // 10 concurrent batches of 10 outpace any one shop's webhook rate while leaving most of a new account's
  // concurrency to the rest. 5 deliver workers stay under about 50 Track API requests/s even sending one by one:
  // half the older 100 rps limit (1000 rps today), which the workspace shares with its other integrations.
  concurrency: { process: 10, deliver: 5, cartCheckReserved: null, ingestReserved: null },
  logRetentionDays: 30,
  alarms: { enabled: true, runbookUrl: 'docs/runbook.md' },
  dashboard: true,
  tracing: false,
  throttle: {
    // A signed webhook is worth keeping: 100 rps (burst 200) is several times a flash sale's order rate, and a
    // sender that gets 429 retries. Each webhook route has its own bucket.
    webhooks: { rateLimit: 100, burstLimit: 200 },
    // Beacons are anonymous and only analytics: half the webhooks' rate, so a flood of them cannot starve a webhook.
    collect: { rateLimit: 50, burstLimit: 100 },
  },
  // WAF rate rules count per IP over 5 minutes. 3,000 (10 rps sustained from one address) is far above what one
  // platform sender IP posts, while a flood from one host is cut; 300 beacons in 5 minutes is a page view every
  // second from one shopper's address, beyond any human browsing.
  waf: { enabled: false, webhookRatePerIp: 3_000, collectRatePerIp: 300 },
  table: { removalPolicy: 'retain', deletionProtection: true },
  dlqRetentionDays: 14,
  // 30 days: as long as Customer.io guarantees a person's activities through its App API, to compare both.
  activityLog: { enabled: true, retentionDays: 30 },
  tags: {},
  reconciliation: {
    enabled: true,
    // Hourly: a missed order is caught within the hour, at a few hundred Admin API points per run.
    everyMinutes: 60,
    overlapMinutes: 15,
    initialLookbackMinutes: 60,
    shopifyApiVersion: '2026-07',
    rechargeApiVersion: '2021-11',
    // Subscriptions in shopify.app.toml (the recommended setup) are app-scoped and invisible to the Admin API.
    webhooks: { shopify: 'off', recharge: 'check' },
  },
};

/** Stage defaults: prod keeps data and pages people; dev is cheap and can be destroyed. */
const STAGE_DEFAULTS: Readonly<Record<Stage, SettingsInput>> = {
  prod: {
    ...COMMON_DEFAULTS,
    // A cap on cart-check: a burst of schedules firing together (a flash sale's abandoned carts) waits in Lambda's
    // async queue (retried up to the 6 h event age) instead of taking the concurrency ingest needs. 10 instances
    // check ~100 carts/s at ~100 ms each.
    concurrency: { ...COMMON_DEFAULTS.concurrency, cartCheckReserved: 10 },
  },
  dev: {
    ...COMMON_DEFAULTS,
    alarms: { ...COMMON_DEFAULTS.alarms, enabled: false },
    logRetentionDays: 7,
    table: { removalPolicy: 'destroy', deletionProtection: false },
  },
};

/** Setting groups merged key by key; every other value (records such as `shops`) is replaced whole. */
const MERGED_GROUPS = new Set([
  'concurrency',
  'alarms',
  'throttle',
  'waf',
  'table',
  'activityLog',
  'tags',
  'reconciliation',
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Overlays `override` on `base`: groups merge one level deep (throttle two), everything else is replaced. */
const overlay = (
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> => {
  const result = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = result[key];
    if (MERGED_GROUPS.has(key) && isPlainObject(current) && isPlainObject(value)) {
      const merged: Record<string, unknown> = { ...current };
      for (const [inner, innerValue] of Object.entries(value)) {
        const currentInner = merged[inner];
        merged[inner] =
          isPlainObject(currentInner) && isPlainObject(innerValue)
            ? { ...currentInner, ...innerValue }
            : innerValue;
      }
      result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  return result;
};

/** Parses a string as JSON when it is JSON (a number, boolean, object, list); anything else stays a string. */
const parseIfJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const SETTING_KEYS: ReadonlySet<string> = new Set(Object.keys(ConnectorSettingsSchema.shape));

/**
 * The settings given as CDK context: a top-level key (`-c cioRegion=eu`, `-c alarms='{"email":"…"}'`) or one
 * field of a group (`-c alarms.email=ops@example.com`, `-c concurrency.process=20`).
 */
export const settingsFromContext = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const settings: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(context)) {
    const [group, field, ...rest] = key.split('.');
    if (group === undefined || !SETTING_KEYS.has(group) || rest.length > 0) continue;
    const value = parseIfJson(raw);
    if (field === undefined) {
      settings[group] =
        isPlainObject(settings[group]) && isPlainObject(value) ? { ...settings[group], ...value } : value;
    } else {
      const existing = settings[group];
      settings[group] = { ...(isPlainObject(existing) ? existing : {}), [field]: value };
    }
  }
  return settings;
};

/** Where the settings come from, lowest precedence first after the stage defaults. */
export interface ConfigSources {
  /** The `stage` context value. @default 'dev' */
  readonly stage?: unknown;
  /** The parsed config file, if there is one. */
  readonly file?: unknown;
  /** All CDK context entries; unknown keys (feature flags and the like) are ignored. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Thrown when the configuration is invalid; the message lists every problem at once. */
export class ConnectorConfigError extends Error {
  override readonly name = 'ConnectorConfigError';
}

/**
 * Resolves the settings of a stage: stage defaults ← config file ← the file's `stages.<stage>` ← CDK context. Every
 * problem (a bad stage, a malformed file, each invalid setting) is reported together in one error.
 */
export const resolveConnectorConfig = (sources: ConfigSources): ConnectorConfig => {
  const problems: string[] = [];
  const stageValue = sources.stage ?? 'dev';
  const stage = STAGES.find((candidate) => candidate === stageValue);
  if (stage === undefined) {
    problems.push(
      `✖ stage must be one of ${STAGES.join(', ')} (got ${JSON.stringify(stageValue)})\n  → at stage`,
    );
  }
  const effectiveStage = stage ?? 'dev';

  let fileSettings: Record<string, unknown> = {};
  let fileStageSettings: Record<string, unknown> = {};
  if (sources.file !== undefined) {
    if (!isPlainObject(sources.file)) {
      problems.push('✖ the config file must hold a JSON object\n  → at config file');
    } else {
      const { stages, $schema: _schema, ...rest } = sources.file;
      fileSettings = rest;
      if (stages !== undefined) {
        const perStage = z.partialRecord(z.enum(STAGES), z.record(z.string(), z.unknown())).safeParse(stages);
        if (perStage.success) {
          fileStageSettings = perStage.data[effectiveStage] ?? {};
        } else {
          problems.push(`✖ stages must map dev/prod to objects of settings\n  → at stages`);
        }
      }
    }
  }

  const merged = [fileSettings, fileStageSettings, settingsFromContext(sources.context ?? {})].reduce(
    overlay,
    STAGE_DEFAULTS[effectiveStage] as Record<string, unknown>,
  );
  const result = ConnectorSettingsSchema.safeParse(merged);
  if (!result.success) problems.push(z.prettifyError(result.error));
  if (problems.length > 0 || !result.success) {
    throw new ConnectorConfigError(`Invalid connector configuration:\n${problems.join('\n')}`);
  }
  return { ...result.data, stage: effectiveStage };
};

/** The settings of a stage with overrides, as tests and other code build them. */
export const connectorConfig = (stage: Stage, overrides: Record<string, unknown> = {}): ConnectorConfig =>
  resolveConnectorConfig({ stage, file: overrides });
