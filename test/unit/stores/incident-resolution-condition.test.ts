import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createIncidentStore } from '../../../shared/stores/incident-store.js';
import { IncidentOwnerMismatchError } from '../../../shared/errors.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * The write classify records a superseded failure with (`updateIfStatusMoves`, with the incident's owner), as the AWS
 * adapter sends it: one UpdateItem whose condition both refuses a status the incident may not move to (resolved
 * already, by the outcome recorder) and checks whose the incident is. dynalite evaluates the same condition in
 * test/integration/status-forward.test.ts.
 */
const documents = mockClient(DynamoDBDocumentClient);

afterEach(() => {
  documents.reset();
});

function store() {
  return createIncidentStore({ client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: 'incidents', ttlDays: 30 });
}

const resolution = { status: 'resolved', category: 'test_failure', fingerprint: 'fp-1', resolvedBy: 'run 42', supersededBy: 'run 42' } as const;
const owner = { source: 'github', repositoryId: 714523861 } as const;

describe('a resolution written only while the incident may move to resolved (DynamoDB condition)', () => {
  it('sends one UpdateItem conditioned on the states resolved may leave and on the owner', async () => {
    // Prepare
    documents.on(UpdateCommand).resolves({ Attributes: { pk: 'INCIDENT#gh-1', id: 'gh-1', status: 'resolved', history: [] } });

    // Act
    await store().updateIfStatusMoves('gh-1', resolution, { history: [{ at: '2026-11-20T10:00:00Z', event: 'resolved', detail: 'run 42' }] }, { owner });

    // Assert
    const [call] = documents.commandCalls(UpdateCommand);
    const input = call?.args[0].input;
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(input?.ConditionExpression).toContain('#current IN (');
    expect(input?.ExpressionAttributeNames?.['#current']).toBe('status');
    const from = Object.entries(input?.ExpressionAttributeValues ?? {}).filter(([name]) => name.startsWith(':from')).map(([, value]) => value);
    expect(from).not.toContain('resolved');
    expect(from).toContain('received');
    expect(input?.ConditionExpression).toContain('#rid = :rid');
    expect(input?.ExpressionAttributeValues?.[':rid']).toBe(owner.repositoryId);
    // The owner is checked by the write, not read before it.
    expect(documents.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('writes nothing more and answers null when the condition refuses it (resolved by another writer)', async () => {
    // Prepare
    documents.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    documents.on(GetCommand).resolves({ Item: { source: 'github', repositoryId: owner.repositoryId } });

    // Act
    const written = await store().updateIfStatusMoves('gh-1', resolution, {}, { owner });

    // Assert
    expect(written).toBeNull();
    expect(documents.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});

/**
 * The write names whose the incident is; one filed under another owner is refused by name whatever its status, as
 * the DynamoDB adapter reads the stored owner when the condition refuses. The in-memory store the unit tests run on
 * checked the status first and answered null for a resolved incident of another owner: the caller was told "another
 * writer ended it" where the adapter says the write names the wrong incident.
 */
describe('a resolution naming another owner', () => {
  it('is refused by name by the DynamoDB adapter, resolved or not', async () => {
    // Prepare
    documents.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    documents.on(GetCommand).resolves({ Item: { source: 'github', repositoryId: 1 } });

    // Act / Assert
    await expect(store().updateIfStatusMoves('gh-1', resolution, {}, { owner })).rejects.toBeInstanceOf(IncidentOwnerMismatchError);
  });

  it('is refused by name by the in-memory store, resolved or not', async () => {
    // Prepare
    const memory = createMemoryStore();
    const at = '2026-11-20T10:00:00.000Z';
    await memory.create(newIncident({ id: 'gh-1', source: 'github', repository: 'acme/a', repositoryId: 1 }, new Date(at)), null);
    await memory.update('gh-1', { status: 'resolved' });

    // Act / Assert
    await expect(memory.updateIfStatusMoves('gh-1', resolution, {}, { owner })).rejects.toBeInstanceOf(IncidentOwnerMismatchError);
  });
});
