import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  type ConnectorConfig,
  ConnectorConfigError,
  resolveConnectorConfig,
} from './config/connector-config.js';
import { APP_TAG, ConnectorStack } from './connector-stack.js';

/** The config file read when `-c config=<path>` does not name another. */
const DEFAULT_CONFIG_FILE = 'connector.config.json';

/** Name of the stack of a stage: one per stage, side by side in one account. */
const stackName = (stage: ConnectorConfig['stage']): string => `CommerceWebhookConnector-${stage}`;

/** Reads the config file: an explicitly named one must exist, the default one may be absent. */
const readConfigFile = (app: App, baseDir: string): unknown => {
  const named = app.node.tryGetContext('config') as unknown;
  const file = path.resolve(baseDir, typeof named === 'string' ? named : DEFAULT_CONFIG_FILE);
  if (!existsSync(file)) {
    if (named === undefined) return undefined;
    throw new ConnectorConfigError(`Invalid connector configuration:\n✖ config file ${file} does not exist`);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConnectorConfigError(
      `Invalid connector configuration:\n✖ ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
};

/**
 * Adds the connector stack of the stage named by `-c stage=dev|prod`, configured from `connector.config.json` and
 * CDK context (cdk/config/connector-config.ts), and checks the app with cdk-nag's AwsSolutions.
 */
export const configureConnectorApp = (app: App, baseDir = process.cwd()): ConnectorStack => {
  if (app.node.tryGetContext('existingSecretArn') !== undefined) {
    throw new ConnectorConfigError(
      'Invalid connector configuration:\n✖ existingSecretArn is replaced by existingWebhookSecretArn and ' +
        'existingDestinationSecretArn: the connector keeps webhook and Customer.io secrets apart (docs/deploy.md)',
    );
  }
  const config = resolveConnectorConfig({
    stage: app.node.tryGetContext('stage'),
    file: readConfigFile(app, baseDir),
    context: app.node.getAllContext(),
  });
  const stack = new ConnectorStack(app, stackName(config.stage), {
    description: `Commerce webhook connector (${config.stage}): Shopify, Recharge and review platforms to Customer.io`,
    terminationProtection: config.stage === 'prod',
    tags: { app: APP_TAG, stage: config.stage, ...config.tags },
    config,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
