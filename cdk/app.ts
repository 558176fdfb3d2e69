import { App } from 'aws-cdk-lib';
import { configureConnectorApp } from './connector-app.js';

// Entry of `cdk synth` / `cdk deploy`. `-c stage=dev|prod` picks the stage (default dev); every setting comes from
// connector.config.json (or -c config=<file>) and -c key=value context, e.g. -c shops='{"<shop>.myshopify.com":{…}}',
// -c existingWebhookSecretArn=<ARN>, -c existingDestinationSecretArn=<ARN>: every setting is listed in
// cdk/config/connector-settings-schema.ts and docs/deploy.md.
configureConnectorApp(new App());
