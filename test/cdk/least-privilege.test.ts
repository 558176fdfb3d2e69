import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsOf, buildConnectorStack } from './helpers/connector-stacks.js';

const ROOT = path.join(import.meta.dirname, '..', '..');

/**
 * The AWS SDK commands a Lambda's code can send to one service: every `new XCommand(` in the modules reachable
 * through relative imports from its handler, where XCommand is imported from that service's client package.
 * Module-level, so a superset of what runs; the exceptions below name the commands a reachable module has but the
 * function never calls.
 */
const commandsReachableFrom = (handler: string, client: string): Set<string> => {
  const seen = new Set<string>();
  const commands = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    // Type-only imports bring no code along.
    for (const [, specifier] of source.matchAll(/(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/g)) {
      const resolved = path.resolve(path.dirname(file), (specifier as string).replace(/\.js$/, '.ts'));
      if (existsSync(resolved)) visit(resolved);
    }
    const imported = new Set(
      [
        ...source.matchAll(new RegExp(`import\\s*(?:type\\s*)?\\{([^}]*)\\}\\s*from\\s*'${client}'`, 'g')),
      ].flatMap(([, names]) =>
        (names as string).split(',').map((name) => name.trim().replace(/^type\s+/, '')),
      ),
    );
    for (const [, command] of source.matchAll(/new\s+(\w+)Command\(/g)) {
      if (imported.has(`${command}Command`)) commands.add(command as string);
    }
  };
  visit(path.join(ROOT, 'lambdas', handler, 'handler.ts'));
  return commands;
};

/** Commands a reachable module can send but this function never calls, and why. */
const NEVER_CALLED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  process: { BatchGetItem: 'DynamoCartStore.readPerson runs only in checkCart (cart-check)' },
  'cart-check': { Query: 'DynamoCartStore.findByCheckout runs only in the cart-recovery stage (process)' },
};

const { statementsOf } = buildConnectorStack('prod');
const grantedActions = (service: string, prefix: string): Set<string> =>
  new Set(
    statementsOf(service)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith(`${prefix}:`))
      .map((action) => action.slice(prefix.length + 1)),
  );

describe('IAM grants follow the code', () => {
  for (const service of ['ingest', 'process', 'deliver', 'cart-check', 'reconcile']) {
    it(`grants ${service} exactly the DynamoDB and Scheduler commands its code sends`, () => {
      // Prepare
      const exceptions = NEVER_CALLED[service] ?? {};

      // Act
      const sent = {
        dynamodb: commandsReachableFrom(service, '@aws-sdk/client-dynamodb'),
        scheduler: commandsReachableFrom(service, '@aws-sdk/client-scheduler'),
      };

      // Assess
      for (const [prefix, commands] of Object.entries(sent)) {
        const granted = grantedActions(service, prefix);
        const called = [...commands].filter((command) => !(command in exceptions));
        expect(
          [...granted].filter((action) => !commands.has(action)),
          `${service}: ${prefix} granted, never sent`,
        ).toEqual([]);
        expect(
          called.filter((command) => !granted.has(command)),
          `${service}: ${prefix} sent, not granted`,
        ).toEqual([]);
      }
    });
  }

  it('finds the commands in the code at all (the scan is not vacuous)', () => {
    // Assess
    expect([...commandsReachableFrom('process', '@aws-sdk/client-dynamodb')].sort()).toEqual(
      expect.arrayContaining(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']),
    );
    expect([...commandsReachableFrom('cart-check', '@aws-sdk/client-scheduler')].sort()).toEqual([
      'CreateSchedule',
      'DeleteSchedule',
    ]);
  });
});
