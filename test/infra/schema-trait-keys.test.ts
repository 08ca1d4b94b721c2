import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor, literalSchemaTraitKeys } from '../../infra/constructs/function-bundle.js';
import { EXCHANGE_HARNESS, bundledLikeSynth } from './support.js';

/**
 * The SDK clients' schemas are bundled with their trait keys as literals (`literalSchemaTraitKeys`,
 * infra/constructs/function-bundle.ts), so tree shaking leaves out the operations no command sends, and the clients
 * that build the event-stream codec at start get a stand-in that refuses every use (EVENT_STREAM_ALIASES,
 * shared/adapters/no-event-streams.ts): the commands the functions do send must make the same requests and read the
 * same answers and errors as with the packages as written.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-schema-keys-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Exchanges {
  /** Each request as sent, without what differs between two sends (its date, signature and invocation id). */
  requests: string[];
  /** Each answer as the command returned it, or the error's name, fault and fields. */
  answers: string[];
  /** What a ConverseStream answered, or its error. */
  streamed: string;
}

/**
 * Bedrock's Converse (a REST operation whose traits are an HTTP route and a guardrail in the body) and Lambda's Invoke
 * (headers, a query and a status code bound to members) through clients whose handler records each request and
 * answers from a list: a success, then a modelled error.
 */
async function bundledExchanges(label: string, withPlugins: boolean): Promise<Exchanges> {
  const source = [
    `import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';`,
    `import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';`,
    ...EXCHANGE_HARNESS,
    `const classes = {};`,
    `const json = { 'content-type': 'application/json' };`,
    `const bedrock = new BedrockRuntimeClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [200, json, JSON.stringify({ output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'record_analysis', input: { rootCause: 'x' } } }] } }, stopReason: 'tool_use', usage: { inputTokens: 5, outputTokens: 7, totalTokens: 12 }, metrics: { latencyMs: 40 } })],`,
    `  [429, { ...json, 'x-amzn-errortype': 'ThrottlingException' }, JSON.stringify({ message: 'slow down' })],`,
    `]) });`,
    `const converse = () => bedrock.send(new ConverseCommand({ modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', system: [{ text: 'analyse' }],`,
    `  messages: [{ role: 'user', content: [{ text: 'the log' }] }], inferenceConfig: { maxTokens: 100, temperature: 0 },`,
    `  toolConfig: { tools: [{ toolSpec: { name: 'record_analysis', inputSchema: { json: { type: 'object' } } } }], toolChoice: { tool: { name: 'record_analysis' } } },`,
    `  guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '2' } }));`,
    `const lambda = new LambdaClient({ region: 'eu-west-1', credentials, maxAttempts: 1, requestHandler: answering([`,
    `  [202, { 'x-amz-executed-version': '7' }, ''],`,
    `  [200, { 'x-amz-function-error': 'Unhandled', 'x-amz-log-result': 'bG9n' }, '{"errorMessage":"boom"}'],`,
    `  [404, { ...json, 'x-amzn-errortype': 'ResourceNotFoundException' }, JSON.stringify({ Type: 'User', Message: 'no such function' })],`,
    `]) });`,
    `const invoke = (InvocationType) => lambda.send(new InvokeCommand({ FunctionName: 'guard-ingest', Qualifier: 'live', InvocationType, LogType: 'Tail', ClientContext: 'e30=', Payload: Buffer.from('{"a":1}') }));`,
    `export const answers = [await shown(converse), await shown(converse), await shown(() => invoke('Event')), await shown(() => invoke('RequestResponse')), await shown(() => invoke('Event'))];`,
    // An event-stream operation, which no function sends: the stand-in refuses to read its answer.
    `const streaming = new BedrockRuntimeClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: answering([[200, {}, '']]) });`,
    `export const streamed = await shown(() => streaming.send(new ConverseStreamCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'x' }] }] })).then((answer) => answer.stream[Symbol.asyncIterator]().next()));`,
  ].join('\n');
  return (await bundledLikeSynth<Exchanges>(outdir, label, source, withPlugins)).module;
}

describe('the SDK schemas in the bundles', () => {
  it('make the same requests and read the same answers and errors as the schemas as written', async () => {
    const literal = await bundledExchanges('literal-keys', true);
    const written = await bundledExchanges('as-written', false);
    expect({ ...literal, streamed: undefined }).toEqual({ ...written, streamed: undefined });
    expect(JSON.parse(literal.streamed)).toMatchObject({ name: 'EventStreamNotBundledError' });
    expect(literal.requests).toHaveLength(written.requests.length);
    // Sanity: the traits were read (the route, the headers and query bound to members, the answers' status and errors).
    expect(literal.requests[0]).toContain('"path":"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse"');
    expect(literal.requests[2]).toMatch(/"path":"\/2015-03-31\/functions\/guard-ingest\/invocations","query":\{"Qualifier":"live"\}.*"x-amz-invocation-type":"Event","x-amz-log-type":"Tail","x-amz-client-context":"e30="/);
    expect(literal.answers[0]).toContain('"stopReason":"tool_use"');
    expect(JSON.parse(literal.answers[1] ?? '')).toMatchObject({ name: 'ThrottlingException', status: 429 });
    expect(JSON.parse(literal.answers[2] ?? '')).toMatchObject({ StatusCode: 202, ExecutedVersion: '7' });
    expect(JSON.parse(literal.answers[3] ?? '')).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', LogResult: 'bG9n', Payload: '{"errorMessage":"boom"}' });
    expect(JSON.parse(literal.answers[4] ?? '')).toMatchObject({ name: 'ResourceNotFoundException', Type: 'User', status: 404 });
  });

  it('leave out the operations no function sends: Bedrock keeps Converse alone, Lambda keeps Invoke alone', async () => {
    const codeOf = async (name: 'analyze' | 'ingest-github') => {
      const options = esbuildOptionsFor(name, join(outdir, name, 'index.mjs'));
      expect(options.plugins).toContain(literalSchemaTraitKeys);
      const result = await build({ ...options, write: false, logLevel: 'error' });
      return result.outputFiles.find((file) => file.path.endsWith('index.mjs'))?.text ?? '';
    };
    const analyze = await codeOf('analyze');
    expect(analyze).toContain('"/model/{modelId}/converse"');
    for (const route of ['/model/{modelId}/converse-stream', '/model/{modelId}/invoke', '/async-invoke', '/model/{modelId}/count-tokens', '/guardrail-checks/invoke']) {
      expect(analyze, route).not.toContain(`"${route}"`);
    }
    const ingest = await codeOf('ingest-github');
    expect(ingest).toContain('"/2015-03-31/functions/{FunctionName}/invocations"');
    for (const route of ['/2015-03-31/functions/{FunctionName}/response-streaming-invocations', '/2015-03-31/functions/{FunctionName}/configuration', '/2017-03-31/tags/{Resource}']) {
      expect(ingest, route).not.toContain(`"${route}"`);
    }
  });
});
