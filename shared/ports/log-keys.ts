import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogFields } from './telemetry.js';

const storage = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` with correlation keys (delivery_id, event_id) that every log line written inside it carries, however
 * deep the code that writes it. Scoped to the async context rather than appended to a shared logger, so records
 * handled concurrently never lend each other their keys, and the keys are gone when `work` settles.
 */
export const withLogKeys = <T>(keys: LogFields, work: () => Promise<T>): Promise<T> => {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
  return storage.run({ ...storage.getStore(), ...defined }, work);
};

/** The keys of the record being handled here (none outside {@link withLogKeys}); explicit fields win over them. */
export const withCurrentLogKeys = (fields: LogFields | undefined): LogFields | undefined => {
  const keys = storage.getStore();
  return keys ? { ...keys, ...fields } : fields;
};
