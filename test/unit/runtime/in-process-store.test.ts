import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { documentClientFor, serveDynamoInProcess } from '../../../shared/runtime/deps.js';

/** The composition root's DynamoDB transport: HTTP to the endpoint, unless this process serves that endpoint itself. */
describe('documentClientFor with a store served in-process', () => {
  const endpoint = 'http://127.0.0.1:9';
  const answer = JSON.stringify({ Item: { pk: { S: 'P#1' }, sk: { S: 'S' } } });
  function fakeStore() {
    return {
      handle: vi.fn(async (_request: { headers: Record<string, string>; body?: unknown }) => ({
        response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode(answer) },
      })),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
  }

  it('sends the calls of clients for that endpoint to the registered handler, until it is withdrawn', async () => {
    // Arrange
    const config = loadConfig({ DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const store = fakeStore();
    const stop = serveDynamoInProcess(endpoint, { requestHandler: store as never, signer: { sign: async (unsigned) => unsigned } });

    // Act
    const client = documentClientFor(config);
    const response = await client.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' } }));
    stop();
    const later = documentClientFor(config);
    const afterWithdrawal = later.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' } }));

    // Assert: the SDK's request reached the handler with the transport's signer (none), and its answer was parsed.
    expect(response.Item).toEqual({ pk: 'P#1', sk: 'S' });
    const [request] = store.handle.mock.calls[0] ?? [];
    expect(request?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers.authorization).toBeUndefined();
    // Withdrawn: a new client goes to the endpoint over HTTP (nothing listens there).
    await expect(afterWithdrawal).rejects.toThrow();
    expect(store.handle).toHaveBeenCalledTimes(1);
    client.destroy();
    later.destroy();
  });

  it('leaves clients for other endpoints on HTTP', async () => {
    // Arrange
    const store = fakeStore();
    const stop = serveDynamoInProcess(endpoint, { requestHandler: store as never, signer: { sign: async (unsigned) => unsigned } });

    // Act
    const other = documentClientFor(loadConfig({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:10', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' }));
    const attempt = other.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' } }));

    // Assert
    await expect(attempt).rejects.toThrow();
    expect(store.handle).not.toHaveBeenCalled();
    stop();
    other.destroy();
  });

  it('hands every store of one configuration the same client, and another configuration or transport its own', () => {
    // Arrange
    const env = { DYNAMODB_ENDPOINT: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const config = loadConfig(env);
    const overHttp = documentClientFor(config);

    // Act
    const again = documentClientFor(config);
    const otherConfig = documentClientFor(loadConfig(env));
    const stop = serveDynamoInProcess(endpoint, { requestHandler: fakeStore() as never, signer: { sign: async (unsigned) => unsigned } });
    const inProcess = documentClientFor(config);
    const inProcessAgain = documentClientFor(config);
    stop();
    const afterWithdrawal = documentClientFor(config);

    // Assert: one connection pool per configuration and transport, not one per store.
    expect(again).toBe(overHttp);
    expect(otherConfig).not.toBe(overHttp);
    expect(inProcess).not.toBe(overHttp);
    expect(inProcessAgain).toBe(inProcess);
    expect(afterWithdrawal).toBe(overHttp);
    for (const client of [overHttp, otherConfig, inProcess]) client.destroy();
  });
});
