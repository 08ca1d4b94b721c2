import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { asRequestHandler } from '../../../infra/local/embedded-dynamo.js';
import { enforcingFunctionGrants, runAsFunction } from '../../../infra/local/function-grants.js';
import { InProcessDocumentClient, type StoreRequest } from '../../../infra/local/in-process-documents.js';

/**
 * The grants' check on the in-process path (session 53): the in-process document client hands the check the object
 * it serialised the body from, so the body is not parsed a second time. Every refusal must still happen before the
 * store sees the call, on that path as on the SDK's (the body only).
 */
const TABLES = { incidents: 'incidents', baselines: 'baselines', experiments: 'experiments' } as const;

function storeStub() {
  return {
    handle: vi.fn(async (_request: StoreRequest) => ({ response: { statusCode: 200, headers: { 'x-amzn-requestid': 'stub' }, body: new TextEncoder().encode('{}') } })),
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

function clientsOver(store: ReturnType<typeof storeStub>) {
  const refused: string[] = [];
  const seen: Array<[string | undefined, string]> = [];
  const handler = enforcingFunctionGrants(store, TABLES, (line) => refused.push(line), (fn, operation) => seen.push([fn, operation]));
  const sdk = new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: asRequestHandler(handler) });
  const documents = new InProcessDocumentClient(sdk, undefined, handler);
  return { sdk, documents, refused, seen };
}

const refusal = (work: Promise<unknown>) => work.then(() => null, (error: Error) => error);

describe('the grants on the in-process document client', () => {
  it('refuses a write its function may not make before the store sees it, and the same call outside a function reaches the store', async () => {
    const store = storeStub();
    const { documents, refused } = clientsOver(store);
    const put = () => documents.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'GRANTS#probe', sk: 'x' } }));

    const denied = await refusal(runAsFunction('read-api', put));

    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toContain('dynamodb:PutItem');
    expect(refused).toEqual([expect.stringContaining('read-api: dynamodb:PutItem on incidents refused')]);
    expect(store.handle).not.toHaveBeenCalled();
    await put();
    expect(store.handle).toHaveBeenCalledTimes(1);
  });

  it('hands the check the request object it sent, and reads every table of a batch from it', async () => {
    const store = storeStub();
    const { documents } = clientsOver(store);
    const batch = () =>
      documents.send(new BatchGetCommand({ RequestItems: { incidents: { Keys: [{ pk: 'a', sk: 'b' }] }, baselines: { Keys: [{ pk: 'a', sk: 'b' }] } } }));

    const denied = await refusal(runAsFunction('analyze', batch));
    await runAsFunction('classify', batch);

    expect(denied?.message).toContain('dynamodb:BatchGetItem on resource: baselines');
    expect(store.handle).toHaveBeenCalledTimes(1);
    const [request] = store.handle.mock.calls[0] ?? [];
    expect(request?.input).toEqual(JSON.parse(String(request?.body)));
  });

  it('refuses on the body alone a call that comes without its object (the SDK\'s)', async () => {
    const store = storeStub();
    const { sdk, documents } = clientsOver(store);

    const tableless = await refusal(runAsFunction('reconcile', () => sdk.send(new ListTablesCommand({}))));
    const ungranted = await refusal(runAsFunction('analyze', () => documents.send(new GetCommand({ TableName: 'baselines', Key: { pk: 'a', sk: 'b' } }), {})));

    expect(tableless?.name).toBe('AccessDeniedException');
    expect(ungranted?.message).toContain('dynamodb:GetItem on resource: baselines');
    expect(store.handle).not.toHaveBeenCalled();
  });

  it('tells of every call the function whose invocation made it, refused ones too, and of a call outside any', async () => {
    const store = storeStub();
    const { sdk, documents, seen } = clientsOver(store);
    const get = () => documents.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'a', sk: 'b' } }));

    await runAsFunction('analyze', get);
    await refusal(runAsFunction('read-api', () => documents.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'a', sk: 'b' } }))));
    await get();
    await refusal(runAsFunction('reconcile', () => sdk.send(new ListTablesCommand({}))));

    expect(seen).toEqual([
      ['analyze', 'GetItem'],
      ['read-api', 'PutItem'],
      [undefined, 'GetItem'],
      ['reconcile', 'ListTables'],
    ]);
  });
});
