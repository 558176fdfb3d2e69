import { hostname } from 'node:os';
import { adminSecretsFor, type ShopAdminSecrets } from '../config/admin-secrets.js';
import { canonicalShop } from '../config/shops.js';
import { DEFAULT_RECHARGE_API_VERSION, DEFAULT_SHOPIFY_API_VERSION } from '../config/sync-env.js';
import { type OptionSpecs, UsageError } from '../operations/cli-args.js';
import { TargetError } from '../operations/ops-target.js';
import {
  resolveSyncTarget,
  type SyncTarget,
  type SyncTargetOptions,
} from '../operations/sync/sync-target.js';
import { wireSync } from './wire-sync.js';

/** The terminal and the world the sync commands (backfill, reconcile) talk to (tests pass their own). */
export interface SyncIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now: () => Date;
  readonly target: (options: SyncTargetOptions) => Promise<SyncTarget>;
  /** Who runs it (host#pid), shown to a second run that finds the lease taken. */
  readonly holder: string;
}

/** The API version options both sync commands take. */
export const API_VERSION_OPTIONS = {
  'shopify-api-version': {
    type: 'string',
    value: '<version>',
    help: `default ${DEFAULT_SHOPIFY_API_VERSION}`,
  },
  'recharge-api-version': {
    type: 'string',
    value: '<version>',
    help: `default ${DEFAULT_RECHARGE_API_VERSION}`,
  },
} as const satisfies OptionSpecs;

/** The shop option, normalized. */
export const parseShop = (value: string | undefined): string => {
  const shop = value === undefined ? undefined : canonicalShop(value);
  if (!shop) throw new UsageError('--shop <name>.myshopify.com is required');
  return shop;
};

/** What both sync commands read from their options to reach a shop. */
interface ShopSyncOptions {
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly 'local-data'?: string;
  readonly 'shopify-api-version'?: string;
  readonly 'recharge-api-version'?: string;
}

/** A shop's sync on its target, ready to run; close the target when done. */
interface ShopSync {
  readonly target: SyncTarget;
  readonly secrets: ShopAdminSecrets;
  readonly wired: ReturnType<typeof wireSync>;
}

/**
 * Opens the target (a deployed stack or the local one), reads the shop's Admin API credentials and wires the sync
 * onto the target's inbox and table. Throws TargetError when the secret has no credentials for the shop.
 */
export const openShopSync = async (io: SyncIo, shop: string, values: ShopSyncOptions): Promise<ShopSync> => {
  const target = await io.target({
    stack: values.stack,
    profile: values.profile,
    region: values.region,
    localData: values['local-data'],
  });
  try {
    const secrets = adminSecretsFor(await target.adminSecrets(), shop);
    if (!secrets) throw new TargetError(`the Admin API secret has no credentials for ${shop}`);
    const wired = wireSync({
      shop,
      secrets,
      shopifyApiVersion: values['shopify-api-version'] ?? DEFAULT_SHOPIFY_API_VERSION,
      rechargeApiVersion: values['recharge-api-version'] ?? DEFAULT_RECHARGE_API_VERSION,
      ...(target.apiUrls ? { urls: target.apiUrls } : {}),
      inbox: target.inbox,
      dynamo: target.dynamo,
      tableName: target.tableName,
      clock: io.now,
    });
    return { target, secrets, wired };
  } catch (error) {
    target.close();
    throw error;
  }
};

/**
 * Runs a sync command on this terminal (`npm run backfill`, `npm run reconcile`): its output on stdout and stderr,
 * the target resolved from its options, this host and process as the lease holder, its exit code as the process's.
 */
export const runSyncCommandOnTerminal = (
  name: string,
  command: (argv: readonly string[], io: SyncIo) => Promise<number>,
): void => {
  command(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    now: () => new Date(),
    target: (options) => resolveSyncTarget(options),
    holder: `${hostname()}#${process.pid}`,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
};
