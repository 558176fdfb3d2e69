import { SecretValue, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The value a new secret starts with: valid against both secret schemas (they default to empty), holding nothing. */
const EMPTY_SECRETS = {};

/** Props of {@link ConnectorSecret}. */
export interface ConnectorSecretProps {
  /**
   * Complete ARN (with its 6-character suffix) of a secret that already holds the connector's JSON.
   * @default - the stack creates the secret, holding `{}` until an operator fills it in
   */
  readonly existingSecretArn?: string;
  /** What the secret holds, for the console. */
  readonly description: string;
}

/**
 * A Secrets Manager secret with one of the connector's JSON documents (shared/config/secrets.ts): the webhook
 * verification secrets or the Customer.io credentials. Functions get its ARN and read it at runtime.
 */
export class ConnectorSecret extends Construct {
  /** The secret, new or imported. */
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: ConnectorSecretProps) {
    super(scope, id);

    if (props.existingSecretArn !== undefined) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      return;
    }

    const secret = new Secret(this, 'Secret', {
      description: props.description,
      // Without a value Secrets Manager would generate a random password, which is not JSON.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(EMPTY_SECRETS)),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is manual: the signing secrets and API keys are issued in the Shopify, Recharge, review-platform ' +
        'and Customer.io dashboards, which no rotation Lambda can call. Each secret is a list so old and new overlap.',
    });
    this.secret = secret;
  }
}
