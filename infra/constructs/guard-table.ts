import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config.js';
import { type IndexDefinition, projectionOf, type TableDefinition } from '../../shared/stores/tables.js';
import { INDEX_ACTIONS, TABLE_ACTIONS, type TableAccess } from '../table-access.js';

const PROJECTION_TYPES = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY, INCLUDE: ProjectionType.INCLUDE } as const;

/** An index's projection in the Table construct's terms (the local runtime creates the same from the same definition). */
function cdkProjection(index: IndexDefinition): { projectionType: ProjectionType; nonKeyAttributes?: string[] } {
  const { type, nonKeyAttributes } = projectionOf(index);
  return { projectionType: PROJECTION_TYPES[type], ...(nonKeyAttributes ? { nonKeyAttributes } : {}) };
}

/** The environment variable that carries a table's name, e.g. `INCIDENTS_TABLE`; checked against the config schema. */
export type TableEnvKey = `${Uppercase<TableDefinition['logicalName']>}_TABLE` & keyof Config;

/** `readWriteDelete` is for the one store that deletes (the guard store releases a rate-limit claim). */
export type { TableAccess };

export interface GuardTableProps {
  /** One entry of `TABLES` in shared/stores/tables.ts: the same layout the local runtime creates. */
  readonly definition: TableDefinition;
  /**
   * Every index projects whole items, whatever the definition says. DynamoDB cannot change an index's projection:
   * CloudFormation would have to delete and re-create it, one index per deployment, so a stack deployed with whole
   * items keeps them (the stores read whole items from the table either way, at the price of more writes).
   */
  readonly wholeItemIndexes?: boolean;
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
        ...(props.wholeItemIndexes ? { projectionType: ProjectionType.ALL } : cdkProjection(index)),
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
    const actions = [...TABLE_ACTIONS[access]];
    const policy = grantee.grantPrincipal;
    policy.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [this.table.tableArn] }));
    const indexArns = this.indexArns;
    if (indexArns.length > 0) {
      policy.addToPrincipalPolicy(new PolicyStatement({ actions: [...INDEX_ACTIONS], resources: indexArns }));
    }
  }
}
