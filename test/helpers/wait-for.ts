/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export const waitFor = async <T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  label = 'condition',
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
