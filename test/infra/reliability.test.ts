import { describe, expect, it } from 'vitest';
import { actionsOf, allows, functionLogicalId, functionStatements, getAtt, ref, resourcesOf, synth } from './support.js';

describe('reliability: reconciler', () => {
  const synthesized = synth();
  const { stack, template } = synthesized;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const reconcilerArn = getAtt(functionLogicalId(stack, stack.functions.reconcile));
  const stateMachineRef = ref(stack.getLogicalId(stack.stateMachine.node.defaultChild as never));

  it('runs the reconcile function on an EventBridge schedule every 5 minutes', () => {
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.ScheduleExpression);
    expect(schedules).toHaveLength(1);
    const rule = schedules[0]?.Properties;
    expect(rule?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(rule?.State).toBe('ENABLED');
    expect(rule?.Targets).toEqual([expect.objectContaining({ Arn: reconcilerArn, RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }) })]);
    const permission = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName) === JSON.stringify(reconcilerArn),
    );
    expect(permission?.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' });
  });

  it('may start, describe and answer the approval wait of executions of the pipeline only, read/write its tables, publish digests to the escalation topic and read the GitHub credential; nothing else', () => {
    const statements = functionStatements(synthesized, 'reconcile');
    const topicRef = ref(stack.getLogicalId(stack.topic.node.defaultChild as never));
    expect(allows(statements, 'states:StartExecution', stateMachineRef)).toBe(true);
    const describe = statements.filter((s) => actionsOf(s).includes('states:DescribeExecution'));
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(resourcesOf(describe[0] as never))).toContain(':execution:');
    const actions = new Set(statements.flatMap(actionsOf));
    for (const action of actions) {
      expect(action, action).toMatch(/^(states:(StartExecution|DescribeExecution|SendTaskSuccess|SendTaskFailure)$|dynamodb:|logs:|xray:Put|sns:Publish$|kms:(GenerateDataKey|Decrypt)$|secretsmanager:(GetSecretValue|DescribeSecret)$)/);
    }
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask'))).flatMap(resourcesOf)).toEqual([stateMachineRef]);
    expect(statements.filter((s) => actionsOf(s).includes('sns:Publish')).flatMap(resourcesOf)).toEqual([topicRef]);
    // The late reads of reactions: the GitHub credential and no other secret (not the webhook secret).
    const credential = resources[functionLogicalId(stack, stack.functions.reconcile)]?.Properties.Environment.Variables.GITHUB_TOKEN_SECRET_ARN;
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:'))).flatMap(resourcesOf)).toEqual([credential]);
  });

  it('is bounded: per-run and per-incident limits are set', () => {
    const variables = resources[functionLogicalId(stack, stack.functions.reconcile)]?.Properties.Environment.Variables;
    expect(variables).toMatchObject({ RECONCILE_AFTER_MINUTES: '10', RECONCILE_MAX_PER_RUN: '25', RECONCILE_MAX_ATTEMPTS: '3', RECONCILE_MAX_DIGESTS_PER_RUN: '25', STATE_MACHINE_ARN: stateMachineRef });
  });

  it('lets ingest describe executions too (a redelivery re-drives a stalled incident)', () => {
    expect(functionStatements(synthesized, 'ingest-github').some((s) => actionsOf(s).includes('states:DescribeExecution'))).toBe(true);
  });
});

describe('reliability: green-run recovery off the webhook request', () => {
  const synthesized = synth();
  const { stack, template } = synthesized;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const recordOutcomeId = functionLogicalId(stack, stack.functions['record-outcome']);
  const dlqArn = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::SQS::Queue' && id.startsWith('EventsDeadLetterQueue'))?.[0] as string;

  it('lets ingest invoke exactly record-outcome (no version wildcard), named in its RECOVERY_FUNCTION_NAME', () => {
    const statements = functionStatements(synthesized, 'ingest-github');
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.flatMap(resourcesOf)).toEqual([getAtt(recordOutcomeId)]);
    const variables = resources[functionLogicalId(stack, stack.functions['ingest-github'])]?.Properties.Environment.Variables;
    expect(variables.RECOVERY_FUNCTION_NAME).toEqual(ref(recordOutcomeId));
  });

  it('retries a failed recovery twice, then dead-letters it into the alarmed queue', () => {
    const configs = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && JSON.stringify(r.Properties.FunctionName) === JSON.stringify(ref(recordOutcomeId)));
    expect(configs).toHaveLength(1);
    expect(configs[0]?.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600, Qualifier: '$LATEST' });
    expect(resources[recordOutcomeId]?.Properties.DeadLetterConfig).toEqual({ TargetArn: getAtt(dlqArn) });
    expect(allows(functionStatements(synthesized, 'record-outcome'), 'sqs:SendMessage', getAtt(dlqArn))).toBe(true);
    const alarms = Object.values(resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(dlqArn),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarms[0]?.Properties.AlarmActions).toEqual([ref(stack.getLogicalId(stack.topic.node.defaultChild as never))]);
  });

  it('gives record-outcome the GitHub credential (it updates the PR comment) but nothing to start or publish', () => {
    const statements = functionStatements(synthesized, 'record-outcome');
    expect(allows(statements, 'secretsmanager:GetSecretValue')).toBe(true);
    expect(allows(statements, 'states:StartExecution')).toBe(false);
    expect(allows(statements, 'sns:Publish')).toBe(false);
    expect(allows(statements, 'lambda:InvokeFunction')).toBe(false);
  });
});

describe('reliability: a failing reconciler pages', () => {
  const { stack, template } = synth();
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const reconcilerRef = ref(functionLogicalId(stack, stack.functions.reconcile));

  /** The one alarm on the metric `select` picks, to `topic`: `expected` its 5-minute sum's threshold of 1. */
  function expectAlarm(
    select: (properties: Record<string, any>) => boolean,
    expected: { Namespace: string; EvaluationPeriods: number; AlarmName: string },
    topic: { node: { defaultChild?: unknown } } = stack.topic,
  ) {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && select(r.Properties));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      ...expected,
    });
    expect(alarms[0]?.Properties.AlarmActions).toEqual([ref(stack.getLogicalId(topic.node.defaultChild as never))]);
  }

  it('alarms at once on an incident the reconciler gave up and could not page about, to the page-failure topic', () => {
    // Such a give-up fails one run only (the incident is listed no more): short of the errors alarm's three in a row.
    // Not to the escalation topic: the page that failed went there, and its failure would lose this alarm too.
    expectAlarm(
      (p) => p.MetricName === 'IncidentsGivenUpUnpaged',
      { Namespace: 'PipelineGuard', EvaluationPeriods: 1, AlarmName: `${stack.stackName}-reconciler-gave-up-unpaged` },
      stack.pageFailureTopic,
    );
  });

  it('alarms on the reconcile function failing in three runs in a row, to the escalation topic', () => {
    expectAlarm(
      (p) => p.MetricName === 'Errors' && JSON.stringify(p.Dimensions ?? []) === JSON.stringify([{ Name: 'FunctionName', Value: reconcilerRef }]),
      { Namespace: 'AWS/Lambda', EvaluationPeriods: 3, AlarmName: `${stack.stackName}-reconciler-errors` },
    );
  });
});

describe('reliability: the alarm on pages that failed has a route of its own', () => {
  type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
  const resourcesOf = ({ template }: ReturnType<typeof synth>) => template.toJSON().Resources as Resources;
  const idOf = (stack: ReturnType<typeof synth>['stack'], construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  /** Each e-mail subscription of the stack, as `<topic logical id> <address>`. */
  const emailsOf = (synthesized: ReturnType<typeof synth>) =>
    Object.values(resourcesOf(synthesized))
      .filter((r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'email')
      .map((r) => `${r.Properties.TopicArn.Ref} ${r.Properties.Endpoint}`)
      .sort();

  const synthesized = synth({ alertEmail: 'oncall@example.com', pageFailureEmail: 'guard-owners@example.com' });
  const { stack } = synthesized;
  const resources = resourcesOf(synthesized);
  const escalationTopic = idOf(stack, stack.topic);
  const pageFailureTopic = idOf(stack, stack.pageFailureTopic);

  it('is a topic apart from the escalation topic, encrypted with a key of its own, which only the stack\'s CloudWatch alarms may publish to', () => {
    expect(pageFailureTopic).not.toBe(escalationTopic);
    const keyOf = (topicId: string) => resources[topicId]?.Properties.KmsMasterKeyId;
    expect(keyOf(pageFailureTopic)).toEqual(getAtt(expect.stringMatching(/^PageFailureTopicKey/) as never));
    expect(keyOf(pageFailureTopic)).not.toEqual(keyOf(escalationTopic));
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::SNS::TopicPolicy' && JSON.stringify(r.Properties.Topics) === JSON.stringify([ref(pageFailureTopic)]));
    const statements = policy?.Properties.PolicyDocument.Statement as Array<Record<string, any>>;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: ref(pageFailureTopic) }),
    ]));
    // No function publishes there: what fails a page of theirs cannot fail this alarm's too.
    const rolePolicies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(JSON.stringify(rolePolicies)).not.toContain(`"${pageFailureTopic}"`);
  });

  it('e-mails the pageFailureEmail address on it, and alertEmail on the escalation topic', () => {
    expect(emailsOf(synthesized)).toEqual([`${escalationTopic} oncall@example.com`, `${pageFailureTopic} guard-owners@example.com`].sort());
  });

  it('e-mails alertEmail on it too when no pageFailureEmail is given (a subscription of its own), and nobody when neither is', () => {
    const alertOnly = synth({ alertEmail: 'oncall@example.com' });
    expect(emailsOf(alertOnly)).toEqual([`${escalationTopic} oncall@example.com`, `${pageFailureTopic} oncall@example.com`].sort());
    expect(emailsOf(synth())).toEqual([]);
  });

  it('names the topic in an output, to subscribe more endpoints to it', () => {
    expect(synthesized.template.toJSON().Outputs.PageFailureTopicArn?.Value).toEqual(ref(pageFailureTopic));
  });
});
