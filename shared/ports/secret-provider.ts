/** Port: reads one secret document (cached by the adapter; rotation is picked up when the cache expires). */
export interface SecretProvider<T> {
  get(): Promise<T>;
}
