import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

/**
 * `<LOCAL_DATA_DIR>/fake-shop.json`: where `npm run fake-shop` serves a shop's Admin APIs and with which
 * credentials. The backfill and reconcile commands read it against the local stack; it goes when the fake stops.
 */
const FakeShopFileSchema = z.object({
  pid: z.number().int().positive(),
  shop: z.string().min(1),
  shopifyUrl: z.url(),
  rechargeUrl: z.url(),
  judgemeUrl: z.url(),
  adminSecrets: z.unknown(),
});
/** The fake shop discovery file. */
export type FakeShopFile = z.infer<typeof FakeShopFileSchema>;

const pathOf = (dataDir: string): string => join(dataDir, 'fake-shop.json');

/** Writes the discovery file. */
export const writeFakeShopFile = (dataDir: string, file: FakeShopFile): string => {
  const path = pathOf(dataDir);
  writeFileSync(path, `${JSON.stringify(FakeShopFileSchema.parse(file), null, 2)}\n`);
  return path;
};

/** Removes the discovery file (on stop). */
export const removeFakeShopFile = (dataDir: string): void => rmSync(pathOf(dataDir), { force: true });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running fake shop of a data folder, if any (a file left by a stopped one is ignored). */
export const readFakeShopFile = (dataDir: string): FakeShopFile | undefined => {
  const path = pathOf(dataDir);
  if (!existsSync(path)) return undefined;
  const parsed = FakeShopFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success && alive(parsed.data.pid) ? parsed.data : undefined;
};
