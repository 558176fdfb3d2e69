import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createConnectorTable } from '../../local/connector-table.js';

/** A real DynamoDB emulator (dynalite) on 127.0.0.1 with the connector's table. */
export interface TestTable {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite in-process (in memory, or on disk under `path`) and creates the connector table. */
export const startTestTable = async (
  options: { path?: string; tableName?: string } = {},
): Promise<TestTable> => {
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tableName = options.tableName ?? 'connector-test';
  await createConnectorTable(client, tableName);
  return {
    client,
    tableName,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
