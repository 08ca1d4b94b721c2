import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/stores/dynamo.js';

describe('createDocumentClient', () => {
  it('has no logger middleware: with no logger it only copied every item through the sensitive-data filter', () => {
    const client = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    expect(client.middlewareStack.identify().filter((name) => name.startsWith('loggerMiddleware'))).toEqual([]);
    client.destroy();
  });
});
