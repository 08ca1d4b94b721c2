/**
 * Which AWS actions beyond DynamoDB (infra/table-access.ts) each function's role may be granted, the sibling of the
 * table one (session 48). The stack refuses at synth to grant a function an action its row does not name
 * (`GuardFunction`, by a validation), test/infra/service-grants.test.ts checks that a stack with every optional
 * setting on grants each row exactly, and the local runtime refuses a call its function's row does not name as the
 * service would (infra/local/function-grants.ts): a call made without its grant fails in every local test, not in AWS
 * alone. Its own log group and X-Ray are every function's (EVERY_FUNCTIONS_ACTIONS) and not listed. Each action may
 * be granted on one kind of resource (GRANT_TARGETS), which the stack names from its constructs, and on "*" only
 * where the service has no resource-level permissions (X-Ray). No AWS library here: the local runtime loads it.
 *
 * A row is the most a function gets: some grants come only with the setting that needs them (runbooks, a Bedrock
 * model, a guardrail, a tag scope, an LLM key, a chat webhook, `gateVerifyDefaultBranch`), and their resources are
 * the stack's to scope (one topic, one state machine, the listed documents, the configured models).
 */
import type { SecretArnKey } from '../shared/config.js';
import type { FunctionName } from './table-access.js';

export type ServiceAction =
  | 'secretsmanager:GetSecretValue'
  | 'states:StartExecution'
  | 'states:DescribeExecution'
  | 'states:SendTaskSuccess'
  | 'states:SendTaskFailure'
  | 'lambda:InvokeFunction'
  | 'sns:Publish'
  | 'kms:GenerateDataKey'
  | 'kms:Decrypt'
  | 'ssm:StartAutomationExecution'
  | 'ssm:GetAutomationExecution'
  | 'iam:PassRole'
  | 'bedrock:InvokeModel'
  | 'bedrock:ApplyGuardrail'
  | 'cloudwatch:ListTagsForResource'
  | 'sqs:SendMessage';

/**
 * Every function's, granted by the construct itself: writing to its own log group (LogGroup.grantWrite; no
 * AWSLambdaBasicExecutionRole, whose CreateLogGroup the stack's own log groups make needless), and X-Ray for active
 * tracing (what Lambda's `Tracing.ACTIVE` grants). Nothing else of either service: no function reads logs.
 */
export const EVERY_FUNCTIONS_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;
export type EveryFunctionsAction = (typeof EVERY_FUNCTIONS_ACTIONS)[number];

/** Reading the GitHub credential (a token or the App's key), the one Secrets Manager call (GetSecretValue). */
const GITHUB_CREDENTIAL = ['secretsmanager:GetSecretValue'] as const;
/**
 * Publishing to the escalation topic, which is encrypted with a key of its own: SNS asks the publisher's role for a
 * data key and to decrypt it (AWS's SNS guide: publishers need kms:GenerateDataKey* and kms:Decrypt on the key).
 */
const ESCALATIONS = ['sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt'] as const;
/** Starting and reading pipeline executions: a re-drive looks at an execution before starting it again. */
const PIPELINE_STARTS = ['states:StartExecution', 'states:DescribeExecution'] as const;
/** Resuming an execution that waits on a `/guard` decision's task token. */
const TASK_RESPONSES = ['states:SendTaskSuccess', 'states:SendTaskFailure'] as const;
/** Starting an allow-listed runbook (with the role its document assumes) and reading its run. */
const RUNBOOK_RUNS = ['ssm:StartAutomationExecution', 'ssm:GetAutomationExecution', 'iam:PassRole'] as const;
/** Lambda itself sends an asynchronous invocation that failed to the function's dead-letter queue, with its role. */
const DEAD_LETTERS = ['sqs:SendMessage'] as const;

export const FUNCTION_SERVICE_ACCESS: Record<FunctionName, readonly ServiceAction[]> = {
  // The webhook secret and the credential; a green run's recovery is queued by invoking record-outcome asynchronously.
  'ingest-github': [...GITHUB_CREDENTIAL, ...PIPELINE_STARTS, ...TASK_RESPONSES, 'lambda:InvokeFunction'],
  classify: [...GITHUB_CREDENTIAL],
  'knowledge-lookup': [],
  // The configured model and the experiments' (Converse), the guardrail, or the OpenAI-compatible endpoint's key.
  analyze: ['bedrock:InvokeModel', 'bedrock:ApplyGuardrail', 'secretsmanager:GetSecretValue'],
  remediate: [...GITHUB_CREDENTIAL, ...RUNBOOK_RUNS],
  // The credential, and the chat webhook's URL.
  notify: [...GITHUB_CREDENTIAL, ...ESCALATIONS],
  'record-outcome': [...GITHUB_CREDENTIAL, ...DEAD_LETTERS],
  // The credential only with gateVerifyDefaultBranch (the default).
  'evaluate-gate': [...GITHUB_CREDENTIAL],
  // Digests and pages; re-drives; recorded /guard decisions resumed; a holder's runbook start made again and followed.
  reconcile: [...GITHUB_CREDENTIAL, ...ESCALATIONS, ...PIPELINE_STARTS, ...TASK_RESPONSES, ...RUNBOOK_RUNS],
  // An alarm's tags, with a tag scope.
  'ingest-alarm': [...PIPELINE_STARTS, 'cloudwatch:ListTagsForResource', ...DEAD_LETTERS],
  'read-api': [],
};

/** The GitHub credential: a token, or with `githubAppId` the App's private key (one of the two per stack). */
const GITHUB_CREDENTIAL_SECRETS = ['GITHUB_TOKEN_SECRET_ARN', 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN'] as const;

/**
 * The secrets each function reads, by the setting that holds the secret's ARN: `GuardFunction.useSecret` refuses any
 * other, and GetSecretValue is refused at synth on any secret the function was not given that way. A function that
 * reads the GitHub credential cannot read the webhook secret (ingest's, to verify deliveries), the model's key
 * (analyze's) or the chat webhook's URL (the publishers').
 */
export const FUNCTION_SECRETS: Record<FunctionName, readonly SecretArnKey[]> = {
  'ingest-github': ['GITHUB_WEBHOOK_SECRET_ARN', ...GITHUB_CREDENTIAL_SECRETS],
  classify: [...GITHUB_CREDENTIAL_SECRETS],
  'knowledge-lookup': [],
  analyze: ['LLM_API_KEY_SECRET_ARN'],
  remediate: [...GITHUB_CREDENTIAL_SECRETS],
  notify: [...GITHUB_CREDENTIAL_SECRETS, 'CHAT_WEBHOOK_URL_SECRET_ARN'],
  'record-outcome': [...GITHUB_CREDENTIAL_SECRETS],
  'evaluate-gate': [...GITHUB_CREDENTIAL_SECRETS],
  reconcile: [...GITHUB_CREDENTIAL_SECRETS, 'CHAT_WEBHOOK_URL_SECRET_ARN'],
  'ingest-alarm': [],
  'read-api': [],
};

/** What an action may be granted on: a name of a resource (or resources) the stack says which are (GuardFunction). */
export type GrantTarget =
  | 'its log group'
  | 'any resource'
  | 'its secrets'
  | 'the pipeline'
  | "the pipeline's executions"
  | 'record-outcome'
  | 'the escalation topic'
  | "the escalation topic's key"
  | 'the runbook documents'
  | "this account's automation executions"
  | 'the runbook role'
  | 'the configured models'
  | 'the guardrail'
  | "this account's alarms"
  | 'its dead-letter queue';

/**
 * The one kind of resource each action may be granted on. "any resource" is X-Ray's alone: its two calls support no
 * resource-level permissions, so they are granted on "*"; everything else is refused on "*".
 */
export const GRANT_TARGETS: Record<ServiceAction | EveryFunctionsAction, GrantTarget> = {
  'logs:CreateLogStream': 'its log group',
  'logs:PutLogEvents': 'its log group',
  'xray:PutTraceSegments': 'any resource',
  'xray:PutTelemetryRecords': 'any resource',
  'secretsmanager:GetSecretValue': 'its secrets',
  'states:StartExecution': 'the pipeline',
  'states:SendTaskSuccess': 'the pipeline',
  'states:SendTaskFailure': 'the pipeline',
  'states:DescribeExecution': "the pipeline's executions",
  'lambda:InvokeFunction': 'record-outcome',
  'sns:Publish': 'the escalation topic',
  'kms:GenerateDataKey': "the escalation topic's key",
  'kms:Decrypt': "the escalation topic's key",
  'ssm:StartAutomationExecution': 'the runbook documents',
  'ssm:GetAutomationExecution': "this account's automation executions",
  'iam:PassRole': 'the runbook role',
  'bedrock:InvokeModel': 'the configured models',
  'bedrock:ApplyGuardrail': 'the guardrail',
  'cloudwatch:ListTagsForResource': "this account's alarms",
  'sqs:SendMessage': 'its dead-letter queue',
};

/** Whether `fn`'s row names `action`; an action of DynamoDB is the table's to answer (infra/table-access.ts). */
export function serviceAllows(fn: FunctionName, action: string): boolean {
  return (FUNCTION_SERVICE_ACCESS[fn] as readonly string[]).includes(action);
}

/**
 * The actions among `granted` that `fn`'s row does not allow: neither DynamoDB's (the table's), nor every function's,
 * nor in the row. The stack's validation of each function's role.
 */
export function actionsBeyondRow(fn: FunctionName, granted: readonly string[]): string[] {
  return granted.filter((action) => !action.startsWith('dynamodb:') && grantTargetOf(fn, action) === undefined);
}

/** What `fn` may be granted `action` on; undefined when it may not be granted it at all (or it is DynamoDB's). */
export function grantTargetOf(fn: FunctionName, action: string): GrantTarget | undefined {
  const allowed = (EVERY_FUNCTIONS_ACTIONS as readonly string[]).includes(action) || serviceAllows(fn, action);
  return allowed ? GRANT_TARGETS[action as ServiceAction | EveryFunctionsAction] : undefined;
}
