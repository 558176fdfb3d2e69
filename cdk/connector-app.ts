import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConnectorContext } from './connector-context.js';
import { ConnectorStack } from './connector-stack.js';

/** Adds the connector stack, configured from the app's context, and checks the app with cdk-nag's AwsSolutions. */
export const configureConnectorApp = (app: App): ConnectorStack => {
  const context = readConnectorContext((key) => app.node.tryGetContext(key));
  const stack = new ConnectorStack(app, 'CommerceWebhookConnector', {
    description: 'Commerce webhook connector: Shopify, Recharge and review platforms to Customer.io',
    ...context,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
};
