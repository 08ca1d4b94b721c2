import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { literalSchemaTraitKeys } from '../../infra/constructs/function-bundle.js';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { EXCHANGE_HARNESS, bundledLikeSynth } from './support.js';

/**
 * Review 69 of literalSchemaTraitKeys and the event-stream stand-in: every schema of every SDK client the project
 * bundles reads the same with the plugin, every operation the functions send makes the same request and reads the same
 * answer and error, and a schemas module of another shape (an SDK upgrade) is left as written or refused, never
 * silently rewritten into other values.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-review-69-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * A module's exports as text, every schema reached: a thunk (`() => Shape$`, how a schema names another, which may be a
 * module-private list or map) by what it returns, a shape met again by the order it was first met in (shapes recur),
 * any other function (an error class) by its source, so that two bundles of the same module compare.
 */
function exportsAsText(module: Record<string, unknown>): string {
  const met = new Map<object, number>();
  const walk = (value: unknown): unknown => {
    if (typeof value === 'function') return /^\(\)\s*=>/.test(String(value)) ? { thunk: walk((value as () => unknown)()) } : `fn:${String(value)}`;
    if (value === null || typeof value !== 'object') return value;
    const seen = met.get(value);
    if (seen !== undefined) return { again: seen };
    met.set(value, met.size);
    return Array.isArray(value) ? value.map(walk) : Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
  };
  return JSON.stringify(walk({ ...module }));
}

/** `entry` bundled alone (every export kept) with `plugins`, imported: what its exports read. */
async function bundledExports(entry: string, label: string, plugins: Plugin[]): Promise<string> {
  const outfile = join(outdir, `${label}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, plugins, logLevel: 'silent', nodePaths: [join(PROJECT_ROOT, 'node_modules')] });
  return exportsAsText((await import(pathToFileURL(outfile).href)) as Record<string, unknown>);
}

const SDK = join(PROJECT_ROOT, 'node_modules', '@aws-sdk');
const CLIENTS = readdirSync(SDK).filter((name) => name.startsWith('client-'));

describe('literalSchemaTraitKeys on the SDK as installed', () => {
  it('covers every client the functions bundle', () => {
    expect(CLIENTS).toEqual(expect.arrayContaining(['client-bedrock-runtime', 'client-cloudwatch', 'client-dynamodb', 'client-lambda', 'client-sfn', 'client-sns']));
  });

  it.each(CLIENTS)('%s: every schema (operations, shapes, errors) reads the same as written', async (client) => {
    const schemas = join(SDK, client, 'dist-es', 'schemas', 'schemas_0.js');
    const literal = await bundledExports(schemas, `${client}-literal`, [literalSchemaTraitKeys]);
    const written = await bundledExports(schemas, `${client}-written`, []);
    expect(literal.length).toBeGreaterThan(1000);
    expect(literal).toEqual(written);
  });
});

interface Exchanges {
  /** Each request as sent, without what differs between two sends (its date, signature and invocation id). */
  requests: string[];
  /** Each answer as the command returned it, or the error's name, class, fault and fields. */
  answers: string[];
}

/**
 * The operations the functions send besides Converse and Invoke (schema-trait-keys.test.ts): DynamoDB's through the
 * document client the stores use (Get, Put, Update, Delete, Query, Scan, BatchGet, a failed condition with the item it
 * returns), Step Functions' StartExecution, SendTaskSuccess, SendTaskFailure and DescribeExecution, SNS's Publish with
 * message attributes (awsQuery: a form body, an XML answer and error), CloudWatch's ListTagsForResource (JSON with
 * awsQuery-compatible error codes), each through a handler that records the request and answers from a list.
 */
async function bundledExchanges(label: string, withPlugins: boolean): Promise<Exchanges> {
  const source = [
    `import { DynamoDBClient, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';`,
    `import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand, DeleteCommand, QueryCommand, ScanCommand, BatchGetCommand } from '@aws-sdk/lib-dynamodb';`,
    `import { SFNClient, StartExecutionCommand, SendTaskSuccessCommand, SendTaskFailureCommand, DescribeExecutionCommand, ExecutionAlreadyExists, TaskTimedOut } from '@aws-sdk/client-sfn';`,
    `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';`,
    `import { CloudWatchClient, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';`,
    ...EXCHANGE_HARNESS,
    `const classes = { ConditionalCheckFailedException, ExecutionAlreadyExists, TaskTimedOut };`,
    `const json = { 'content-type': 'application/x-amz-json-1.0' };`,
    `const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [200, json, JSON.stringify({ Item: { pk: { S: 'incident#1' }, n: { N: '3' }, tags: { SS: ['a', 'b'] }, doc: { M: { ok: { BOOL: true }, none: { NULL: true } } } } })],`,
    `  [200, json, '{}'],`,
    `  [200, json, JSON.stringify({ Attributes: { n: { N: '4' } } })],`,
    `  [200, json, '{}'],`,
    `  [200, json, JSON.stringify({ Items: [{ pk: { S: 'incident#1' } }], Count: 1, ScannedCount: 1, LastEvaluatedKey: { pk: { S: 'incident#1' } } })],`,
    `  [200, json, JSON.stringify({ Items: [{ pk: { S: 'x' }, b: { B: 'AQI=' } }], Count: 1, ScannedCount: 2 })],`,
    `  [200, json, JSON.stringify({ Responses: { guard: [{ pk: { S: 'a' } }] }, UnprocessedKeys: { guard: { Keys: [{ pk: { S: 'b' } }] } } })],`,
    `  [400, json, JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'The conditional request failed', Item: { pk: { S: 'incident#1' }, v: { N: '9' } } })],`,
    `  [400, json, JSON.stringify({ __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' })],`,
    `  [500, json, JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'oops' })],`,
    `]) }), { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });`,
    `const table = 'guard';`,
    `const sfn = new SFNClient({ region: 'eu-west-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [200, json, JSON.stringify({ executionArn: 'arn:aws:states:eu-west-1:1:execution:m:e', startDate: 1700000000.5 })],`,
    `  [200, json, '{}'],`,
    `  [200, json, '{}'],`,
    `  [200, json, JSON.stringify({ executionArn: 'arn:e', stateMachineArn: 'arn:m', status: 'RUNNING', startDate: 1700000000, input: '{}' })],`,
    `  [400, json, JSON.stringify({ __type: 'ExecutionAlreadyExists', message: 'exists' })],`,
    `  [400, json, JSON.stringify({ __type: 'TaskTimedOut', message: 'late' })],`,
    `]) });`,
    `const sns = new SNSClient({ region: 'eu-west-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [200, { 'content-type': 'text/xml' }, '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId><SequenceNumber>7</SequenceNumber></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>'],`,
    `  [400, { 'content-type': 'text/xml' }, '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad attribute</Message></Error><RequestId>r</RequestId></ErrorResponse>'],`,
    `  [403, { 'content-type': 'text/xml' }, '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>'],`,
    `]) });`,
    `const cloudwatch = new CloudWatchClient({ region: 'eu-west-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [200, json, JSON.stringify({ Tags: [{ Key: 'pipeline-guard:repo', Value: 'o/r' }] })],`,
    `  [404, { ...json, 'x-amzn-query-error': 'ResourceNotFound;Sender' }, JSON.stringify({ __type: 'com.amazonaws.cloudwatch#ResourceNotFoundException', Message: 'no alarm' })],`,
    `]) });`,
    `const attributes = { severity: { DataType: 'String', StringValue: 'high' }, repos: { DataType: 'String.Array', StringValue: '["o/r"]' } };`,
    `const publish = () => sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:1:guard', Subject: 'CI failed', MessageStructure: 'json', Message: JSON.stringify({ default: 'x', email: 'y' }), MessageAttributes: attributes }));`,
    `const conditional = () => dynamo.send(new UpdateCommand({ TableName: table, Key: { pk: 'incident#1' }, UpdateExpression: 'SET v = :v', ConditionExpression: 'v = :old', ExpressionAttributeValues: { ':v': 10, ':old': 8 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));`,
    `export const answers = [`,
    `  await shown(() => dynamo.send(new GetCommand({ TableName: table, Key: { pk: 'incident#1' }, ConsistentRead: true, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'n' } }))),`,
    `  await shown(() => dynamo.send(new PutCommand({ TableName: table, Item: { pk: 'incident#1', n: 3, at: undefined, tags: new Set(['a']), blob: new Uint8Array([1, 2]), nested: { list: [1, 'two', null, true] } }, ConditionExpression: 'attribute_not_exists(pk)' }))),`,
    `  await shown(() => dynamo.send(new UpdateCommand({ TableName: table, Key: { pk: 'incident#1' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_NEW' }))),`,
    `  await shown(() => dynamo.send(new DeleteCommand({ TableName: table, Key: { pk: 'incident#1' }, ConditionExpression: 'attribute_exists(pk)' }))),`,
    `  await shown(() => dynamo.send(new QueryCommand({ TableName: table, IndexName: 'due', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': 'due', ':s': 5 }, Limit: 25, ScanIndexForward: false, ExclusiveStartKey: { pk: 'a' } }))),`,
    `  await shown(() => dynamo.send(new ScanCommand({ TableName: table, Segment: 0, TotalSegments: 2, FilterExpression: 'attribute_exists(b)' }))),`,
    `  await shown(() => dynamo.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ pk: 'a' }, { pk: 'b' }], ConsistentRead: true } } }))),`,
    `  await shown(conditional), await shown(conditional), await shown(conditional),`,
    `  await shown(() => sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:1:stateMachine:m', name: 'run-1', input: '{"a":1}' }))),`,
    `  await shown(() => sfn.send(new SendTaskSuccessCommand({ taskToken: 'tok', output: '{"ok":true}' }))),`,
    `  await shown(() => sfn.send(new SendTaskFailureCommand({ taskToken: 'tok', error: 'Guard.Failed', cause: 'because' }))),`,
    `  await shown(() => sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:e' }))),`,
    `  await shown(() => sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:m', name: 'run-1', input: '{}' }))),`,
    `  await shown(() => sfn.send(new SendTaskSuccessCommand({ taskToken: 'tok', output: '{}' }))),`,
    `  await shown(publish), await shown(publish), await shown(publish),`,
    `  await shown(() => cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:cloudwatch:eu-west-1:1:alarm:a' }))),`,
    `  await shown(() => cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:cloudwatch:eu-west-1:1:alarm:b' }))),`,
    `];`,
  ].join('\n');
  return (await bundledLikeSynth<Exchanges>(outdir, label, source, withPlugins)).module;
}

describe('the operations the functions send, bundled with literalSchemaTraitKeys', () => {
  it('make the same requests and read the same answers and errors as with the schemas as written', async () => {
    const literal = await bundledExchanges('exchanges-literal', true);
    const written = await bundledExchanges('exchanges-written', false);
    expect(literal.requests).toHaveLength(21);
    expect(literal).toEqual(written);
    // Sanity: the traits were read (each protocol's target, the form body, the modelled errors and their classes).
    expect(literal.requests[0]).toContain('"x-amz-target":"DynamoDB_20120810.GetItem"');
    expect(literal.requests[10]).toContain('"x-amz-target":"AWSStepFunctions.StartExecution"');
    expect(literal.requests[16]).toContain('Action=Publish');
    expect(literal.requests[16]).toContain('MessageAttributes.entry.2.Value.DataType=String.Array');
    expect(literal.requests[19]).toContain('"x-amz-target":"GraniteServiceVersion20100801.ListTagsForResource"');
    expect(JSON.parse(literal.answers[7] ?? '')).toMatchObject({ modelled: ['ConditionalCheckFailedException'], Item: { pk: { S: 'incident#1' }, v: { N: '9' } } });
    expect(JSON.parse(literal.answers[8] ?? '')).toMatchObject({ name: 'ThrottlingException', status: 400 });
    expect(JSON.parse(literal.answers[14] ?? '')).toMatchObject({ modelled: ['ExecutionAlreadyExists'] });
    expect(JSON.parse(literal.answers[16] ?? '')).toMatchObject({ MessageId: 'm-1', SequenceNumber: '7' });
    expect(JSON.parse(literal.answers[18] ?? '')).toMatchObject({ name: 'AuthorizationErrorException', status: 403 });
    expect(JSON.parse(literal.answers[20] ?? '')).toMatchObject({ name: 'ResourceNotFound', status: 404 });
  });
});

/** `source` as a client's schemas module (where literalSchemaTraitKeys applies), bundled with the plugin and without. */
async function syntheticSchemas(client: string, source: string): Promise<{ literal: string; written: string; literalCode: string }> {
  const dir = join(outdir, 'node_modules', '@aws-sdk', `client-${client}`, 'dist-es', 'schemas');
  mkdirSync(dir, { recursive: true });
  const schemas = join(dir, 'schemas_0.js');
  writeFileSync(schemas, source);
  const literal = await bundledExports(schemas, `${client}-literal`, [literalSchemaTraitKeys]);
  const written = await bundledExports(schemas, `${client}-written`, []);
  return { literal, written, literalCode: readFileSync(join(outdir, `${client}-literal.mjs`), 'utf8') };
}

describe('literalSchemaTraitKeys on a schemas module of another shape (an SDK upgrade): as written, never other values', () => {
  // Each row: its name, the module, and whether its keyed object (`{ [_h]: 3 }`) is still rewritten, or the module left
  // as written because a key in it might not mean its constant.
  const rows: [string, string, boolean][] = [
    // A key's constant shadowed by a parameter: the literal would be the module's value, not the argument.
    ['shadowed-parameter', `const _h = "http";\nexport var route = (_h) => ({ [_h]: 1 });\nexport var out = route("other");\nexport var keyed = { [_h]: 3 };\n`, false],
    // Shadowed by an inner declaration on the same line as its use.
    ['shadowed-inner', `const _h = "http";\nexport var out = (() => { const _h = "other"; return { [_h]: 1 }; })();\nexport var keyed = { [_h]: 3 };\n`, false],
    // A string that spells a trait key: its text is data, not a key.
    ['in-strings', `const _h = "http";\nexport var quoted = '{ [_h]: 1 }';\nexport var template = \`{ [_h]: 2 }\`;\nexport var keyed = { [_h]: 3 };\n`, true],
    // A conditional whose branch is an array of the constant (`c ?[_h]: d`, as a printer without spaces writes it).
    ['conditional', `const _h = "http";\nconst yes = 1;\nexport var out = yes ?[_h]: 0;\nexport var keyed = { [_h]: 3 };\n`, true],
    // A template over lines, one of them starting with a trait key: the statement split cut it, and rewrote its text.
    ['template-over-lines', `const _h = "http";\nexport var text = \`a\n[_h]: b\`;\nexport var keyed = { [_h]: 3 };\n`, false],
  ];
  it.each(rows)('%s', async (client, source, rewritten) => {
    const { literal, written, literalCode } = await syntheticSchemas(client, source);
    expect(literal).toEqual(written);
    expect(literalCode.includes('[_h]: 3')).toBe(!rewritten);
  });

  // Shapes the plugin skips: each reads as written because the key is left computed.
  const skipped: [string, string][] = [
    ['minified', `const _h="http";export var keyed={[_h]:1};\n`],
    ['not-a-literal', `const _h = "ht" + "tp";\nexport var keyed = { [_h]: 1 };\n`],
    ['proto', `const _p = "__proto__";\nexport var keyed = { [_p]: { polluted: true } };\n`],
  ];
  it.each(skipped)('%s: left as written', async (client, source) => {
    const { literal, written } = await syntheticSchemas(client, source);
    expect(literal).toEqual(written);
  });
});

/**
 * analyze's and ingest-github's clients with the event-stream stand-in (EVENT_STREAM_ALIASES): Bedrock Runtime as
 * providers.ts builds it (one attempt) reading each error Converse may answer, a 5xx and a modelled 4xx; Lambda as the
 * recovery queue builds it (the SDK's retries) through a throttle and a 5xx to its answer, then out of attempts.
 */
async function standInExchanges(label: string, withPlugins: boolean): Promise<Exchanges> {
  const source = [
    `import { BedrockRuntimeClient, ConverseCommand, ModelErrorException, ServiceUnavailableException, InternalServerException, ValidationException } from '@aws-sdk/client-bedrock-runtime';`,
    `import { LambdaClient, InvokeCommand, TooManyRequestsException, ServiceException } from '@aws-sdk/client-lambda';`,
    ...EXCHANGE_HARNESS,
    `const classes = { ModelErrorException, ServiceUnavailableException, InternalServerException, ValidationException, TooManyRequestsException, ServiceException };`,
    `const json = { 'content-type': 'application/json' };`,
    `const bedrock = new BedrockRuntimeClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [500, { ...json, 'x-amzn-errortype': 'InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, JSON.stringify({ message: 'internal' })],`,
    `  [503, { ...json, 'x-amzn-errortype': 'ServiceUnavailableException' }, JSON.stringify({ message: 'unavailable' })],`,
    `  [424, { ...json, 'x-amzn-errortype': 'ModelErrorException' }, JSON.stringify({ message: 'model failed', originalStatusCode: 500, resourceName: 'claude' })],`,
    `  [400, { ...json, 'x-amzn-errortype': 'ValidationException' }, JSON.stringify({ message: 'too long' })],`,
    `  [502, { 'content-type': 'text/html' }, '<html>Bad Gateway</html>'],`,
    `]) });`,
    `const converse = () => bedrock.send(new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'the log' }] }] }));`,
    `const lambda = new LambdaClient({ region: 'eu-west-1', credentials, retryStrategy: { mode: 'standard', acquireInitialRetryToken: async () => ({ getRetryCount: () => 0, getRetryDelay: () => 0 }), refreshRetryTokenForRetry: async (token, error) => { if (token.getRetryCount() >= 2 || !['THROTTLING', 'TRANSIENT', 'SERVER_ERROR'].includes(error.errorType)) throw error; const count = token.getRetryCount() + 1; return { getRetryCount: () => count, getRetryDelay: () => 0 }; }, recordSuccess: () => {} }, requestHandler: answering([`,
    `  [429, { 'x-amzn-errortype': 'TooManyRequestsException', 'retry-after': '0' }, JSON.stringify({ Type: 'User', message: 'Rate exceeded', Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' })],`,
    `  [500, { 'x-amzn-errortype': 'ServiceException' }, JSON.stringify({ Type: 'Service', Message: 'oops' })],`,
    `  [202, {}, ''],`,
    `  [500, { 'x-amzn-errortype': 'ServiceException' }, JSON.stringify({ Type: 'Service', Message: 'oops' })],`,
    `  [500, { 'x-amzn-errortype': 'ServiceException' }, JSON.stringify({ Type: 'Service', Message: 'oops' })],`,
    `  [500, { 'x-amzn-errortype': 'ServiceException' }, JSON.stringify({ Type: 'Service', Message: 'oops again' })],`,
    `]) });`,
    `const invoke = () => lambda.send(new InvokeCommand({ FunctionName: 'guard-ingest', InvocationType: 'Event', Payload: Buffer.from('{}') }));`,
    `export const answers = [await shown(converse), await shown(converse), await shown(converse), await shown(converse), await shown(converse), await shown(invoke), await shown(invoke)];`,
  ].join('\n');
  return (await bundledLikeSynth<Exchanges>(outdir, label, source, withPlugins)).module;
}

describe('analyze and ingest-github with the event-stream stand-in', () => {
  it('read every error and retry as with the packages', async () => {
    const standIn = await standInExchanges('stand-in', true);
    const packages = await standInExchanges('packages', false);
    expect(standIn).toEqual(packages);
    // Sanity: each error reached its modelled class, and the retries were made (3 sends, then 3 more out of attempts).
    expect(standIn.requests).toHaveLength(11);
    expect(standIn.answers.map((answer) => JSON.parse(answer) as { modelled?: string[]; attempts?: number })).toMatchObject([
      { modelled: ['InternalServerException'] },
      { modelled: ['ServiceUnavailableException'] },
      { modelled: ['ModelErrorException'], originalStatusCode: 500 },
      { modelled: ['ValidationException'] },
      { status: 502 },
      { StatusCode: 202, attempts: 3 },
      { modelled: ['ServiceException'], attempts: 3 },
    ]);
  });
});
