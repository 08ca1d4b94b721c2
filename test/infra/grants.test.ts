import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/constructs/guard-function.js';
import type { TableDefinition } from '../../shared/stores/tables.js';
import {
  actionsOf,
  allows,
  FUNCTION_NAMES,
  functionLogicalId,
  functionStatements,
  getAtt,
  ref,
  resourcesOf,
  roleStatements,
  synth,
} from './support.js';

type TableName = TableDefinition['logicalName'];
type Access = 'none' | 'read' | 'readWrite' | 'readWriteDelete';

/** The access matrix of the design: anything not listed here must not be granted. */
const TABLE_ACCESS: Record<FunctionName, Record<TableName, Access>> = {
  'ingest-github': { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  classify: { incidents: 'readWrite', baselines: 'readWrite', experiments: 'none' },
  'knowledge-lookup': { incidents: 'readWrite', baselines: 'readWrite', experiments: 'readWrite' },
  // An analysed incident in an experiment charges its arm's cost counters.
  analyze: { incidents: 'readWrite', baselines: 'none', experiments: 'readWrite' },
  // The guard store deletes a rate-limit claim it could not complete; the reconciler deletes the due entry of a
  // digest it sent (or that has nothing left to report); record-outcome a recovery's targets entry once done; the
  // gate the baseline runs beyond the kept ones; ingest-github a /guard decision's or vote's due entry once done. No
  // other function deletes (a comment slot is released by an update).
  remediate: { incidents: 'readWriteDelete', baselines: 'none', experiments: 'none' },
  notify: { incidents: 'readWrite', baselines: 'none', experiments: 'none' },
  'record-outcome': { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  'evaluate-gate': { incidents: 'none', baselines: 'readWriteDelete', experiments: 'none' },
  // The reconciler's late reads of reactions record votes: the experiment's units and the false-positive metric.
  reconcile: { incidents: 'readWriteDelete', baselines: 'readWrite', experiments: 'readWrite' },
  'ingest-alarm': { incidents: 'readWrite', baselines: 'none', experiments: 'none' },
  'read-api': { incidents: 'read', baselines: 'read', experiments: 'read' },
};

/** The shared GitHub write budget: every function with GitHub access draws from it. */
const WRITE_BUDGET = ['GITHUB_WRITES_PER_MINUTE', 'GITHUB_WRITES_PER_HOUR', 'GITHUB_RERUNS_PER_MINUTE', 'GITHUB_WRITE_WAIT_MINUTES'];

/** Exactly the settings each function reads, beyond POWERTOOLS_SERVICE_NAME and NODE_OPTIONS. */
const ENVIRONMENT: Record<FunctionName, string[]> = {
  'ingest-github': [
    'INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS',
    'STATE_MACHINE_ARN',
    'GITHUB_WEBHOOK_SECRET_ARN',
    'WEBHOOK_SECRET_GRACE_MINUTES',
    'MAX_WEBHOOK_BYTES',
    'GITHUB_API_URL',
    'GITHUB_TOKEN_SECRET_ARN',
    'EXPERIMENTS_TABLE',
    'BASELINES_TABLE',
    'RECOVERY_FUNCTION_NAME',
    // Votes refresh the expiry of the entry they count on (attacker's pass 50, L5), as every learned-entry writer.
    'KNOWLEDGE_RETENTION_DAYS',
    ...WRITE_BUDGET,
  ],
  classify: ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'BASELINES_TABLE', 'GITHUB_API_URL', 'GITHUB_TOKEN_SECRET_ARN', 'MAX_LOG_BYTES', ...WRITE_BUDGET],
  'knowledge-lookup': ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'EXPERIMENTS_TABLE', 'BASELINES_TABLE', 'KNOWLEDGE_RETENTION_DAYS'],
  analyze: ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'EXPERIMENTS_TABLE', 'ANALYZER'],
  remediate: ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'GITHUB_API_URL', 'GITHUB_TOKEN_SECRET_ARN', 'AUTO_RERUN_MAX', 'RERUN_MIN_CONFIDENCE', 'DRY_RUN', 'RUNBOOK_WAIT_SECONDS', 'RUNBOOK_VERIFY_MINUTES', 'DEPLOYMENT_ACCOUNT_ID', ...WRITE_BUDGET],
  notify: ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'ESCALATION_TOPIC_ARN', 'GITHUB_API_URL', 'GITHUB_TOKEN_SECRET_ARN', ...WRITE_BUDGET],
  'record-outcome': ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'EXPERIMENTS_TABLE', 'BASELINES_TABLE', 'GITHUB_API_URL', 'GITHUB_TOKEN_SECRET_ARN', 'KNOWLEDGE_RETENTION_DAYS', ...WRITE_BUDGET],
  // The GitHub credential to confirm a run's commit is on the default branch; it writes nothing, so no write budget.
  'evaluate-gate': ['BASELINES_TABLE', 'DELTA_COVERAGE', 'DELTA_VULN_HIGH', 'DELTA_VULN_CRITICAL', 'BASELINE_RUNS', 'GATE_VERIFY_DEFAULT_BRANCH', 'GITHUB_API_URL', 'GITHUB_TOKEN_SECRET_ARN'],
  reconcile: [
    'INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS',
    'STATE_MACHINE_ARN',
    'ESCALATION_TOPIC_ARN',
    'RECONCILE_AFTER_MINUTES',
    'RECONCILE_MAX_PER_RUN',
    'RECONCILE_MAX_ATTEMPTS',
    'RECONCILE_LOOKBACK_HOURS',
    'RECONCILE_MAX_DIGESTS_PER_RUN',
    'RECONCILE_MAX_REACTION_READS_PER_RUN',
    'RECONCILE_MAX_REACTION_CALLS_PER_RUN',
    'RECONCILE_MAX_PENDING_VOTES_PER_RUN',
    'RUNBOOK_NOT_ENDED_MINUTES',
    // A run it followed to a success is checked as remediate checks its own (attack-45b B2, session 43).
    'RUNBOOK_VERIFY_MINUTES',
    // It makes a holder's runbook start again with its client token, as remediate made it (attack-45b B9, session 43).
    'DEPLOYMENT_ACCOUNT_ID',
    // It reads reactions and permissions from GitHub, and posts the recovery comments the write budget refused: the
    // same budget as every other writer.
    'GITHUB_API_URL',
    'GITHUB_TOKEN_SECRET_ARN',
    ...WRITE_BUDGET,
    'EXPERIMENTS_TABLE',
    'BASELINES_TABLE',
    'KNOWLEDGE_RETENTION_DAYS',
  ],
  'ingest-alarm': ['INCIDENTS_TABLE', 'INCIDENT_TTL_DAYS', 'STATE_MACHINE_ARN', 'RECONCILE_MAX_ATTEMPTS', 'ALARM_SCOPE_TAG', 'ALARM_INCLUDE_AUTOSCALING'],
  'read-api': ['INCIDENTS_TABLE', 'BASELINES_TABLE', 'EXPERIMENTS_TABLE'],
};

describe('least-privilege grants', () => {
  const synthesized = synth();
  const { stack, template } = synthesized;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const tableArn = (name: TableName) => getAtt(stack.getLogicalId(stack.tables[name].table.node.defaultChild as never));
  const topicRef = ref(stack.getLogicalId(stack.topic.node.defaultChild as never));
  const stateMachineRef = ref(stack.getLogicalId(stack.stateMachine.node.defaultChild as never));
  const secretRef = (description: string) => {
    const [id] = Object.entries(resources).find(
      ([, r]) => r.Type === 'AWS::SecretsManager::Secret' && String(r.Properties.Description).includes(description),
    ) ?? [''];
    return ref(id);
  };
  const tokenSecret = secretRef('GitHub token');
  const webhookSecret = secretRef('webhook secret');

  it('puts no dynamodb, sns, states, lambda, secretsmanager or bedrock action on "*" anywhere', () => {
    const allStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<Parameters<typeof actionsOf>[0]>);
    for (const statement of allStatements) {
      const scoped = actionsOf(statement).filter((a) => /^(dynamodb|sns|states|lambda|secretsmanager|bedrock|sqs|kms):/.test(a));
      if (scoped.length === 0) continue;
      expect(resourcesOf(statement), scoped.join(',')).not.toContain('*');
      for (const action of actionsOf(statement)) expect(action, 'wildcard action').not.toContain('*');
    }
  });

  it('allows "*" resources only for X-Ray and Step Functions log delivery', () => {
    const allStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<Parameters<typeof actionsOf>[0]>);
    for (const statement of allStatements.filter((s) => resourcesOf(s).includes('*'))) {
      for (const action of actionsOf(statement)) expect(action).toMatch(/^(xray:|logs:(Create|Get|Update|Delete|List)LogDeliver|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)$)/);
    }
  });

  describe.each(FUNCTION_NAMES)('%s', (name) => {
    const statements = functionStatements(synthesized, name);

    it('gets exactly its tables, at exactly its access level', () => {
      for (const [table, access] of Object.entries(TABLE_ACCESS[name]) as Array<[TableName, Access]>) {
        expect(allows(statements, 'dynamodb:GetItem', tableArn(table)), `${table} read`).toBe(access !== 'none');
        expect(allows(statements, 'dynamodb:Query', tableArn(table)), `${table} query`).toBe(access !== 'none');
        expect(allows(statements, 'dynamodb:PutItem', tableArn(table)), `${table} put`).toBe(access.startsWith('readWrite'));
        expect(allows(statements, 'dynamodb:UpdateItem', tableArn(table)), `${table} update`).toBe(access.startsWith('readWrite'));
      }
    });

    it('gets exactly the DynamoDB actions its stores send: no Scan or BatchWriteItem, DeleteItem only where used', () => {
      const expected: Record<Access, string[]> = {
        none: [],
        read: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        readWrite: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        readWriteDelete: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      };
      for (const [table, access] of Object.entries(TABLE_ACCESS[name]) as Array<[TableName, Access]>) {
        const onTable = statements
          .filter((st) => resourcesOf(st).some((r) => JSON.stringify(r) === JSON.stringify(tableArn(table))))
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('dynamodb:'));
        expect([...new Set(onTable)].sort(), `${name} on ${table}`).toEqual(expected[access]);
      }
      const everywhere = statements.flatMap(actionsOf);
      expect(everywhere).not.toContain('dynamodb:Scan');
      expect(everywhere).not.toContain('dynamodb:BatchWriteItem');
      expect(everywhere).not.toContain('dynamodb:ConditionCheckItem');
    });

    it('never gets table-level administration (DeleteTable, streams, backups)', () => {
      const actions = statements.flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith('dynamodb:') && !/Item$|Query$|Scan$/.test(a))).toEqual([]);
    });

    it('has exactly the environment it needs, pointing at the resources it is granted', () => {
      const variables = resources[functionLogicalId(stack, stack.functions[name])]?.Properties.Environment.Variables as Record<string, unknown>;
      const own = Object.keys(variables).filter((k) => k !== 'POWERTOOLS_SERVICE_NAME' && k !== 'NODE_OPTIONS');
      expect(own.sort()).toEqual([...ENVIRONMENT[name]].sort());
      for (const [table, access] of Object.entries(TABLE_ACCESS[name]) as Array<[TableName, Access]>) {
        const key = `${table.toUpperCase()}_TABLE`;
        if (access === 'none') expect(variables[key], key).toBeUndefined();
        else expect(variables[key], key).toEqual(ref(stack.getLogicalId(stack.tables[table].table.node.defaultChild as never)));
      }
      if (variables.GITHUB_TOKEN_SECRET_ARN) {
        expect(variables.GITHUB_TOKEN_SECRET_ARN).toEqual(tokenSecret);
        expect(allows(statements, 'secretsmanager:GetSecretValue', tokenSecret)).toBe(true);
      } else {
        expect(allows(statements, 'secretsmanager:GetSecretValue', tokenSecret)).toBe(false);
      }
    });
  });

  it('lets ingest start executions of the pipeline and read both secrets', () => {
    const statements = functionStatements(synthesized, 'ingest-github');
    expect(allows(statements, 'states:StartExecution', stateMachineRef)).toBe(true);
    expect(allows(statements, 'secretsmanager:GetSecretValue', webhookSecret)).toBe(true);
    expect(allows(statements, 'secretsmanager:GetSecretValue', tokenSecret)).toBe(true);
    expect(allows(statements, 'sns:Publish')).toBe(false);
  });

  it('lets only ingest read the webhook secret, and only the two ingest functions and the reconciler start executions', () => {
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'ingest-github')) {
      const statements = functionStatements(synthesized, name);
      expect(allows(statements, 'secretsmanager:GetSecretValue', webhookSecret), name).toBe(false);
      if (name !== 'reconcile' && name !== 'ingest-alarm') expect(allows(statements, 'states:StartExecution'), name).toBe(false);
    }
  });

  it('lets only notify and the reconciler (digests, incidents the pipeline could not finish or notify) publish escalations', () => {
    for (const name of ['notify', 'reconcile'] as const) {
      expect(allows(functionStatements(synthesized, name), 'sns:Publish', topicRef), name).toBe(true);
      expect(allows(functionStatements(synthesized, name), 'kms:GenerateDataKey'), name).toBe(true);
    }
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'notify' && n !== 'reconcile')) {
      expect(allows(functionStatements(synthesized, name), 'sns:Publish'), name).toBe(false);
    }
  });

  it('gives analyze no Bedrock access when no model is configured (offline analyzer)', () => {
    const statements = functionStatements(synthesized, 'analyze');
    expect(statements.flatMap(actionsOf).some((a) => a.startsWith('bedrock:'))).toBe(false);
    expect(allows(statements, 'sns:Publish')).toBe(false);
    expect(allows(statements, 'secretsmanager:GetSecretValue')).toBe(false);
    const variables = resources[functionLogicalId(stack, stack.functions.analyze)]?.Properties.Environment.Variables;
    expect(variables.ANALYZER).toBe('offline');
    expect(variables.BEDROCK_MODEL_ID).toBeUndefined();
  });

  it('lets each function write only its own log group', () => {
    for (const name of FUNCTION_NAMES) {
      const logWrites = functionStatements(synthesized, name).filter((s) => actionsOf(s).includes('logs:PutLogEvents'));
      expect(logWrites.flatMap(resourcesOf), name).toEqual([
        getAtt(stack.getLogicalId(stack.functions[name].logGroup.node.defaultChild as never)),
      ]);
    }
  });

  it('gives AWS services key and topic access only from this account (aws:SourceAccount / aws:SourceArn)', () => {
    const servicePolicies = Object.values(resources).flatMap((r) => {
      if (r.Type === 'AWS::KMS::Key') return r.Properties.KeyPolicy.Statement as Array<Record<string, any>>;
      if (r.Type === 'AWS::SNS::TopicPolicy') return r.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
      return [];
    });
    const forServices = servicePolicies.filter((st) => st.Effect === 'Allow' && st.Principal?.Service);
    expect(forServices.length).toBeGreaterThan(0);
    for (const statement of forServices) {
      const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c as object));
      expect(conditionKeys, JSON.stringify(statement.Principal)).toEqual(expect.arrayContaining(['aws:SourceAccount', 'aws:SourceArn']));
    }
    for (const [id, r] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Permission')) {
      if (String(r.Properties.Principal).endsWith('.amazonaws.com')) expect(r.Properties.SourceArn ?? r.Properties.SourceAccount, id).toBeDefined();
    }
  });

  it('gives EventBridge no role: the alarm rules invoke functions through their resource policies, scoped to the rule', () => {
    const eventRoles = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('events.amazonaws.com'),
    );
    expect(eventRoles).toHaveLength(0);
    const ingestAlarm = getAtt(functionLogicalId(stack, stack.functions['ingest-alarm']));
    const permission = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName) === JSON.stringify(ingestAlarm),
    );
    expect(permission?.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^AlarmRaisedRule/), 'Arn'] } });
  });

  // Session 48: CDK's Secret.grantRead adds secretsmanager:DescribeSecret, which no function calls (the one Secrets
  // Manager call is GetSecretValue, shared/adapters/secrets-manager.ts): excess on every role that reads a secret.
  it.each([
    ['the default stack', {}],
    ['every secret the stack can make (App key, LLM key, chat webhook URL)', { githubAppId: '123456', llmBaseUrl: 'https://llm.example.com/v1', llmModel: 'gpt-x', llmApiKeySecret: 'true', chatWebhookFormat: 'mattermost' }],
  ])('reads secrets with secretsmanager:GetSecretValue alone, the one call the functions make: %s', (_case, context) => {
    const secretReaders = synth(context);
    for (const name of FUNCTION_NAMES) {
      const actions = functionStatements(secretReaders, name).flatMap(actionsOf).filter((a) => a.startsWith('secretsmanager:'));
      expect([...new Set(actions)], name).toEqual(actions.length > 0 ? ['secretsmanager:GetSecretValue'] : []);
    }
  });

  it('keeps the pipeline role away from the webhook secret and the token', () => {
    const statements = roleStatements(template, stack.getLogicalId(stack.stateMachine.role.node.defaultChild as CfnRole));
    expect(statements.flatMap(actionsOf).some((a) => a.startsWith('secretsmanager:'))).toBe(false);
  });
});
