import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Counts every DynamoDB request a client sends (successful or not), by command. */
export const countDynamoCalls = (client: DynamoDBClient) => {
  const tally = { total: 0, byCommand: {} as Record<string, number> };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      tally.total += 1;
      tally.byCommand[name] = (tally.byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoCalls' },
  );
  return {
    /** Calls made while `work` runs. */
    during: async (
      work: () => Promise<unknown>,
    ): Promise<{ total: number; byCommand: Record<string, number> }> => {
      const before = { total: tally.total, byCommand: { ...tally.byCommand } };
      await work();
      const byCommand = Object.fromEntries(
        Object.entries(tally.byCommand)
          .map(([name, count]) => [name, count - (before.byCommand[name] ?? 0)] as const)
          .filter(([, count]) => count > 0),
      );
      return { total: tally.total - before.total, byCommand };
    },
  };
};
