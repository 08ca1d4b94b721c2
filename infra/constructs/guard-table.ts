import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config.js';
import type { TableDefinition } from '../../shared/stores/tables.js';

/** The environment variable that carries a table's name, e.g. `INCIDENTS_TABLE`; checked against the config schema. */
export type TableEnvKey = `${Uppercase<TableDefinition['logicalName']>}_TABLE` & keyof Config;

export type TableAccess = 'read' | 'readWrite';

/**
 * Item-level actions only: no DescribeTable, no stream or backup actions, nothing on `*`. The handlers use
 * conditional puts and atomic `ADD` updates (the local runtime has no transactions), so these are all they call.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** Global secondary indexes are read-only by nature. */
const INDEX_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'];

export interface GuardTableProps {
  /** One entry of `TABLES` in shared/stores/tables.ts: the same layout the local runtime creates. */
  readonly definition: TableDefinition;
}

/**
 * A DynamoDB table built from the shared table definition, so the AWS and local layouts cannot drift:
 * on-demand, point-in-time recovery, TTL, AWS-managed KMS encryption, retained when the stack is deleted
 * (incidents and learned knowledge are the product's memory).
 */
export class GuardTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;
  readonly envKey: TableEnvKey;

  constructor(scope: Construct, id: string, props: GuardTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.envKey = `${definition.logicalName.toUpperCase()}_TABLE` as TableEnvKey;

    this.table = new Table(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: definition.ttlAttribute,
      // AWS-managed key rather than the default AWS-owned one: key use shows up in CloudTrail, at no key cost.
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of definition.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // Knowledge lookup and recovery tracking read whole incidents from the index; ALL avoids a second read.
        projectionType: ProjectionType.ALL,
      });
    }
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** ARNs of the declared indexes, named one by one instead of `<table>/index/*`. */
  get indexArns(): string[] {
    return this.definition.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`);
  }

  /** Item-level access to this table (and read access to its indexes), nothing else. */
  grantData(grantee: IGrantable, access: TableAccess): void {
    const actions = access === 'readWrite' ? [...READ_ACTIONS, ...WRITE_ACTIONS] : READ_ACTIONS;
    const policy = grantee.grantPrincipal;
    policy.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [this.table.tableArn] }));
    const indexArns = this.indexArns;
    if (indexArns.length > 0) {
      policy.addToPrincipalPolicy(new PolicyStatement({ actions: INDEX_ACTIONS, resources: indexArns }));
    }
  }
}
