import { Match } from 'aws-cdk-lib/assertions';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../shared/stores/tables.js';
import { FUNCTION_NAMES, functionLogicalId, synth } from './support.js';
import { READ_ROUTES } from '../../infra/stack.js';

describe('PipelineGuard stack resources', () => {
  const synthesized = synth();
  const { stack, template } = synthesized;

  describe('tables', () => {
    it('creates exactly the tables in shared/stores/tables.ts', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
    });

    it.each(TABLES.map((definition) => [definition.logicalName, definition] as const))(
      '%s: keys, GSIs, on-demand, PITR, TTL, encryption, retained',
      (logicalName, definition) => {
        const logicalId = stack.getLogicalId(stack.tables[logicalName].table.node.defaultChild as CfnTable);
        const resource = template.toJSON().Resources[logicalId];
        expect(resource.DeletionPolicy).toBe('Retain');
        expect(resource.UpdateReplacePolicy).toBe('Retain');
        const properties = resource.Properties;
        expect(properties.KeySchema).toEqual([
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          { AttributeName: definition.sortKey, KeyType: 'RANGE' },
        ]);
        expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(properties.TimeToLiveSpecification).toEqual({ AttributeName: definition.ttlAttribute, Enabled: true });
        expect(properties.SSESpecification).toEqual({ SSEEnabled: true });
        const indexes = (properties.GlobalSecondaryIndexes ?? []) as Array<Record<string, unknown>>;
        expect(indexes).toEqual(
          definition.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection:
              index.projection === 'ALL'
                ? { ProjectionType: 'ALL' }
                : index.projection.length === 0
                  ? { ProjectionType: 'KEYS_ONLY' }
                  : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] },
          })),
        );
      },
    );

    it('declares the incidents GSIs', () => {
      const incidents = TABLES.find((t) => t.logicalName === 'incidents');
      expect(incidents?.indexes.map((i) => i.name)).toEqual(['byScope', 'byFingerprint', 'byHistoryKey', 'byMonth', 'byPullRequest', 'byKnowledgeCategory']);
    });

    it('keeps whole-item projections on every index for a stack deployed with them (context wholeItemIndexes)', () => {
      const projections = (context: Record<string, unknown>) => {
        const { template: synthesized } = synth(context);
        const [incidents] = Object.values(synthesized.findResources('AWS::DynamoDB::Table', { Properties: { TableName: Match.absent(), GlobalSecondaryIndexes: Match.anyValue() } }));
        return (incidents?.Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; Projection: { ProjectionType: string } }>).map(
          (index) => `${index.IndexName}:${index.Projection.ProjectionType}`,
        );
      };

      expect(projections({ wholeItemIndexes: 'true' })).toEqual(['byScope:ALL', 'byFingerprint:ALL', 'byHistoryKey:ALL', 'byMonth:ALL', 'byPullRequest:ALL', 'byKnowledgeCategory:ALL']);
      expect(projections({})).toEqual(['byScope:INCLUDE', 'byFingerprint:INCLUDE', 'byHistoryKey:INCLUDE', 'byMonth:INCLUDE', 'byPullRequest:KEYS_ONLY', 'byKnowledgeCategory:ALL']);
    });

    it('projects whole items only into the knowledge-base index, which incident updates never write', () => {
      const incidents = TABLES.find((t) => t.logicalName === 'incidents');
      expect(Object.fromEntries((incidents?.indexes ?? []).map((i) => [i.name, i.projection]))).toEqual({
        byScope: ['status'],
        byFingerprint: ['id', 'status', 'decision', 'timeToRecoverySeconds', 'branch', 'runUrl'],
        byHistoryKey: ['id', 'fingerprint', 'status', 'decision', 'timeToRecoverySeconds', 'branch', 'runUrl'],
        byMonth: ['status', 'updatedAt', 'repository', 'category', 'source'],
        byPullRequest: [],
        byKnowledgeCategory: 'ALL',
      });
    });
  });

  describe('functions', () => {
    it('creates the seven functions and no others', () => {
      template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
      expect(Object.keys(stack.functions).sort()).toEqual([...FUNCTION_NAMES].sort());
    });

    it.each(FUNCTION_NAMES)('%s: nodejs22.x, arm64, X-Ray, own log group with retention, service name', (name) => {
      const fn = stack.functions[name];
      const resource = template.toJSON().Resources[functionLogicalId(stack, fn)];
      const properties = resource.Properties;
      expect(properties.Runtime).toBe('nodejs22.x');
      expect(properties.Architectures).toEqual(['arm64']);
      expect(properties.Handler).toBe('index.handler');
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('pipeline-guard');
      expect(properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      const logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as never);
      expect(properties.LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    });

    it('no function role carries an AWS managed policy', () => {
      for (const name of FUNCTION_NAMES) {
        const roleId = stack.getLogicalId(stack.functions[name].role.node.defaultChild as never);
        expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns, name).toBeUndefined();
      }
    });

    it('gives classify 1024 MB and 5 minutes', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('^Downloads failed job logs'),
        MemorySize: 1024,
        Timeout: 300,
      });
    });

    it('answers GitHub within its 10 s delivery timeout', () => {
      const ingest = template.toJSON().Resources[functionLogicalId(stack, stack.functions['ingest-github'])];
      expect(ingest.Properties.Timeout).toBeLessThanOrEqual(10);
    });
  });

  describe('state machine', () => {
    it('is a Standard state machine with X-Ray and ALL-level logging to a vended-logs group', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: false,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
        },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/vendedlogs/states/PipelineGuard-incident-pipeline',
        RetentionInDays: 30,
      });
    });

    it('leaves no log group of a fixed name behind when the stack is deleted, so the same stack name deploys again', () => {
      // A retained group of a fixed name makes the next CREATE of that name fail: "already exists".
      const named = Object.values(template.findResources('AWS::Logs::LogGroup')).filter((g) => typeof g.Properties.LogGroupName === 'string');
      expect(named.map((g) => g.Properties.LogGroupName)).toEqual(['/aws/vendedlogs/states/PipelineGuard-incident-pipeline']);
      for (const group of named) {
        expect(group.DeletionPolicy, group.Properties.LogGroupName).toBe('Delete');
        expect(group.UpdateReplacePolicy, group.Properties.LogGroupName).toBe('Delete');
      }
    });
  });

  describe('webhook API', () => {
    it('routes POST /webhooks/github to the ingest function through a Lambda proxy, with no authorizer', () => {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'webhooks' });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'github' });
      // The webhook, the gate, and the read routes (asserted in 'read API' below).
      template.resourceCountIs('AWS::ApiGateway::Method', 2 + READ_ROUTES.length);
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS_PROXY',
          IntegrationHttpMethod: 'POST',
          Uri: Match.objectLike({
            'Fn::Join': Match.arrayWith([
              Match.arrayWith([{ 'Fn::GetAtt': [functionLogicalId(stack, stack.functions['ingest-github']), 'Arn'] }]),
            ]),
          }),
        },
      });
    });

    it('throttles the stage above org-wide webhook traffic, logs access and errors (never bodies), and traces', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'v1',
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        MethodSettings: [
          Match.objectLike({
            // GitHub does not retry a 429: an org-wide install sends hundreds of deliveries a second in a push storm.
            ThrottlingRateLimit: 500,
            ThrottlingBurstLimit: 1000,
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
          }),
        ],
      });
    });

    it('lets only API Gateway invoke the ingest, gate and read functions, without the test-invoke permission', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
        (p) => p.Properties.Principal === 'apigateway.amazonaws.com',
      );
      // One per method: webhook, gate and each read route; none for the console's test-invoke (`test-invoke-stage`).
      expect(permissions).toHaveLength(2 + READ_ROUTES.length);
      expect(JSON.stringify(permissions)).not.toContain('test-invoke-stage');
    });

    it('routes POST /gates/evaluate to the gate function with IAM authorization', () => {
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'gates' });
      template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'evaluate' });
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        AuthorizationType: 'AWS_IAM',
        Integration: {
          Type: 'AWS_PROXY',
          Uri: Match.objectLike({
            'Fn::Join': Match.arrayWith([
              Match.arrayWith([{ 'Fn::GetAtt': [functionLogicalId(stack, stack.functions['evaluate-gate']), 'Arn'] }]),
            ]),
          }),
        },
      });
    });
  });

  describe('escalation topic and secrets', () => {
    it('encrypts the topic with a rotated customer key CloudWatch alarms may use, and enforces TLS', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it("lets this account's CloudWatch alarms (and only those) publish to the topic and use its key", () => {
      const ownAlarms = {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']],
          },
        },
      };
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: Match.stringLikeRegexp('^EscalationTopic') },
              Condition: ownAlarms,
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: ownAlarms })]),
        },
      });
    });

    it('has no e-mail subscription without alertEmail', () => {
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('generates the webhook secret and leaves the token secret empty', () => {
      const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')).map((s) => s.Properties);
      expect(secrets).toHaveLength(2);
      const webhook = secrets.find((s) => String(s.Description).includes('webhook secret'));
      const token = secrets.find((s) => String(s.Description).includes('GitHub token'));
      expect(webhook?.GenerateSecretString).toEqual({ ExcludePunctuation: true, PasswordLength: 48 });
      expect(token).toBeDefined();
      expect(token?.GenerateSecretString).toBeUndefined();
      expect(token?.SecretString).toBeUndefined();
    });
  });

  describe('alarms', () => {
    it('alarms on failed executions into the escalation topic', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'PipelineGuard-pipeline-failed-executions',
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Match.stringLikeRegexp('^IncidentPipeline') } }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^EscalationTopic') }],
      });
    });

    it('alarms on webhook 4xx (429 throttling included) into the escalation topic', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'PipelineGuard-webhook-4xx',
        Namespace: 'AWS/ApiGateway',
        MetricName: '4XXError',
        Statistic: 'Sum',
        Threshold: 25,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^EscalationTopic') }],
      });
    });

    it('alarms on webhook 5xx and on undelivered alarm events', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'PipelineGuard-webhook-5xx',
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^EscalationTopic') }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'PipelineGuard-events-dead-letters',
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^EscalationTopic') }],
      });
    });
  });

  it('outputs the webhook URL, state machine, topic, secrets and table names', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const key of [
      'WebhookUrl',
      'StateMachineArn',
      'EscalationTopicArn',
      'GitHubWebhookSecretArn',
      'GitHubTokenSecretArn',
      'IncidentsTableName',
      'BaselinesTableName',
      'ExperimentsTableName',
    ]) {
      expect(outputs[key], key).toBeDefined();
    }
    expect(JSON.stringify(outputs.WebhookUrl?.Value)).toContain('/webhooks/github');
  });
});
