import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, type CfnGlobalTable, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { ConnectorFunction } from './connector-function.js';

/** Props of {@link ConnectorTable}. */
export interface ConnectorTableProps {
  /**
   * What happens to the table when it leaves the stack. It holds the dedupe and identity records, so it is kept
   * unless a throwaway stack asks otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The connector's single table: `pk`/`sk` keys, one overloaded GSI (`gsi1`), TTL on `expiresAt`, on-demand
 * billing, point-in-time recovery.
 */
export class ConnectorTable extends Construct {
  /** The table. */
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: ConnectorTableProps = {}) {
    super(scope, id);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: 'gsi1',
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: 'expiresAt',
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /** Grants the function read/write access to items and to `gsi1`. */
  grantReadWriteData(fn: ConnectorFunction): void {
    this.table.grantReadWriteData(fn);
    const logicalId = Stack.of(this).getLogicalId(this.table.node.defaultChild as CfnGlobalTable);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason:
        'The wildcard covers only the indexes of this one table (just gsi1), which the function queries.',
    });
  }
}
