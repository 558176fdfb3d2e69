import type { ConnectorSecrets } from '../config/secrets.js';

/** Port: reads the connector's secrets (cached by the adapter; rotation is picked up when the cache expires). */
export interface SecretProvider {
  get(): Promise<ConnectorSecrets>;
}
