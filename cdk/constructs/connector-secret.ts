import { SecretValue, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { ConnectorFunction } from './connector-function.js';

/** Props of {@link ConnectorSecret}. */
export interface ConnectorSecretProps {
  /** What the secret holds, for its description (the JSON outline an operator fills in). */
  readonly description: string;
  /**
   * The value a new secret starts with: an empty document of the right shape, holding nothing secret. Without
   * one, Secrets Manager would generate a random password, which is not JSON.
   */
  readonly initialValue: object;
  /**
   * Complete ARN (with its 6-character suffix) of a secret that already holds the document.
   * @default - the stack creates the secret, holding `initialValue` until an operator fills it in
   */
  readonly existingSecretArn?: string;
}

/**
 * One Secrets Manager secret holding a JSON document that functions read at runtime by ARN. The connector has two
 * (CONTRACTS.md): webhook verification secrets, read only by ingest, and destination credentials, read only by
 * deliver; {@link grantRead} gives one function GetSecretValue on one of them and nothing else.
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
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(props.initialValue)),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is manual: the signing secrets and API keys are issued in the Shopify, Recharge, review-platform ' +
        'and Customer.io dashboards, which no rotation Lambda can call. Each secret is a list so old and new overlap.',
    });
    this.secret = secret;
  }

  /** The secret's ARN. */
  get secretArn(): string {
    return this.secret.secretArn;
  }

  /**
   * Lets the function read the value: GetSecretValue only (it never describes or lists secrets), on this secret
   * only. A secret encrypted with a customer-managed key also needs kms:Decrypt, granted with that key.
   */
  grantRead(fn: ConnectorFunction): void {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
  }
}
