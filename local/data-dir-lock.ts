import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the local data folder for this process: one stack per folder, because dynalite's LevelDB store cannot be
 * shared (a second opener crashes inside dynalite, beyond any catch). A lock left by a dead process is taken over.
 * Returns the release function.
 */
export const lockDataDir = (dataDir: string): (() => void) => {
  const path = join(dataDir, 'stack.lock');
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(path, 'utf8'));
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `another local stack (pid ${holder}) is using ${dataDir}; stop it, or set LOCAL_DATA_DIR to another folder`,
      );
    }
    writeFileSync(path, String(process.pid));
  }
  return () => rmSync(path, { force: true });
};
