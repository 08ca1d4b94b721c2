import * as endpointCachePackage from '@aws-sdk/endpoint-cache';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES } from '../../../infra/constructs/guard-function.js';
import * as standIn from '../../../shared/stores/no-endpoint-cache.js';

describe('the endpoint cache stand-in the Lambda bundles give the DynamoDB client', () => {
  it('stands in for @aws-sdk/endpoint-cache alone', () => {
    expect(Object.entries(BUNDLE_ALIASES).filter(([, to]) => to.endsWith('/no-endpoint-cache.ts'))).toEqual([['@aws-sdk/endpoint-cache', './shared/stores/no-endpoint-cache.ts']]);
  });

  it("has the package's exports and its class's methods, so the client builds it as it builds the package's", () => {
    expect(Object.keys(standIn).filter((name) => name !== 'EndpointCacheNotBundledError').sort()).toEqual(Object.keys(endpointCachePackage).filter((name) => name !== 'default').sort());
    const methods = Object.getOwnPropertyNames(endpointCachePackage.EndpointCache.prototype).filter((name) => name !== 'constructor');
    const cache = new standIn.EndpointCache();
    for (const method of methods) expect(typeof (cache as unknown as Record<string, unknown>)[method], method).toBe('function');
  });

  it('refuses every use: no bundled command reads or writes the cache', () => {
    const cache = new standIn.EndpointCache();
    expect(() => cache.get()).toThrow(standIn.EndpointCacheNotBundledError);
    expect(() => cache.set()).toThrow(/not bundled/);
  });

  it("is never reached by the commands the stores send: the client's cache replaced by the stand-in, they all answer", async () => {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      // On, so a command that attached the discovery middleware would ask the cache for an endpoint (and fail here).
      endpointDiscoveryEnabled: true,
      // Every call answers `{}`, as DynamoDB answers a GetItem of no item.
      requestHandler: { handle: async () => ({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from('{}')]) } }) },
    });
    // Built at construction, as in the bundles; only the discovery middleware would read or write it.
    expect(client.config.endpointCache).toBeInstanceOf(endpointCachePackage.EndpointCache);
    (client.config as { endpointCache: unknown }).endpointCache = new standIn.EndpointCache();
    const documents = DynamoDBDocumentClient.from(client);
    const Key = { pk: 'a', sk: 'b' };
    await documents.send(new GetCommand({ TableName: 't', Key, ConsistentRead: true }));
    await documents.send(new PutCommand({ TableName: 't', Item: Key, ConditionExpression: 'attribute_not_exists(pk)' }));
    await documents.send(new UpdateCommand({ TableName: 't', Key, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } }));
    await documents.send(new DeleteCommand({ TableName: 't', Key }));
    await documents.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'a' } }));
    await documents.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 't', Item: Key } }] }));
    await documents.send(new BatchGetCommand({ RequestItems: { t: { Keys: [Key] } } }));
    client.destroy();
  });
});
