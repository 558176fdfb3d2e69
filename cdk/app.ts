import { App } from 'aws-cdk-lib';
import { configureConnectorApp } from './connector-app.js';

// Entry of `cdk synth` / `cdk deploy`. Optional context (see connector-context.ts): -c cioRegion=us|eu,
// -c identifierStrategy=customer_id|email, -c existingWebhookSecretArn=<ARN>, -c existingDestinationSecretArn=<ARN>,
// -c shops='{"<shop>.myshopify.com":{…}}'.
configureConnectorApp(new App());
