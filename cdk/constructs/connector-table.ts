import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ConnectorFunction } from './connector-function.js';

/** The one secondary index; Query is the only action that reads it. */
const INDEX_NAME = 'gsi1';

/** The item-level DynamoDB actions a function may be granted, each the name of an SDK command it sends. */
export type DynamoAction =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'BatchGetItem'
  | 'BatchWriteItem';

/** Props of {@link ConnectorTable}. */
export interface ConnectorTableProps {
  /**
   * What happens to the table when it leaves the stack. It holds the dedupe and identity records, so it is kept
   * unless a throwaway stack asks otherwise.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Refuse DeleteTable (from the console, the CLI or a stack update) until turned off. @default true */
  readonly deletionProtection?: boolean;
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
          indexName: INDEX_NAME,
          partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
        },
      ],
      timeToLiveAttribute: 'expiresAt',
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * Grants exactly the listed actions (the commands the function's code sends) on the table, and Query also on
   * `gsi1` by name: no wildcard, no Scan, no table-level actions.
   */
  grant(fn: ConnectorFunction, actions: readonly DynamoAction[]): void {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [this.table.tableArn],
      }),
    );
    if (actions.includes('Query')) {
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${this.table.tableArn}/index/${INDEX_NAME}`],
        }),
      );
    }
  }

  /** Read and write requests DynamoDB throttled, summed over 5 minutes. */
  metricThrottleEvents(): IMetric {
    const period = Duration.minutes(5);
    return new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: {
        reads: this.table.metric('ReadThrottleEvents', { statistic: 'Sum', period }),
        writes: this.table.metric('WriteThrottleEvents', { statistic: 'Sum', period }),
      },
      label: 'Throttled requests',
      period,
    });
  }
}
