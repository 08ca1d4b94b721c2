import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-vote-stale-applier');
const T0 = new Date('2026-11-03T09:00:00.000Z');
let documents: DynamoDBDocumentClient;
beforeAll(() => {
  documents = scratch.store.documents();
});

/** The client, holding the first write whose expression matches `pattern` until `release()`; `reached` when it is held. */
function stallingClient(client: DynamoDBDocumentClient, pattern: RegExp) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let markReached!: () => void;
  const reached = new Promise<void>((resolve) => (markReached = resolve));
  let held = false;
  const send = async (command: { input?: { UpdateExpression?: string } }) => {
    if (!held && pattern.test(command.input?.UpdateExpression ?? '')) {
      held = true;
      markReached();
      await gate;
    }
    return client.send(command as never);
  };
  return { client: new Proxy(client, { get: (t, n) => (n === 'send' ? send : Reflect.get(t, n)) }), release, reached };
}

async function counters(id: string) {
  const item = (await documents.send(new GetCommand({ TableName: 'incidents', Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' }, ConsistentRead: true }))).Item ?? {};
  return { up: Number(item.feedbackUp ?? 0), down: Number(item.feedbackDown ?? 0) };
}

describe('a live applier slower than the next vote’s 750 ms wait', () => {
  it('adds nothing on the incident’s own counters once the same user’s next change has been counted', async () => {
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
    const incident = newIncident({ id: 'gh-1-777-1', source: 'github', repository: 'acme/app', runId: 777, runAttempt: 1, fromFork: false, runEvent: 'push' } as never, T0);
    await incidents.create(incident, null);
    const stored = (await incidents.get(incident.id)) as Incident;

    // A: maya's 👍 is recorded (outbox written), then its applier stalls before the tally's ADD (GC pause, throttled retries…).
    const slow = stallingClient(documents, /ADD feedbackUp/);
    const a = learningOn(slow.client, () => T0).onFeedback(stored, 'up', 'maya', null, { via: 'command', writtenAt: T0.toISOString() });
    await slow.reached;

    // B: maya's 👎 a second later; after 50+100+200+400 ms it finishes A's change itself, then records and applies its own.
    const later = new Date(T0.getTime() + 1_000);
    await learningOn(documents, () => later).onFeedback(stored, 'down', 'maya', null, { via: 'command', writtenAt: later.toISOString() });
    expect(await counters(incident.id)).toEqual({ up: 0, down: 1 });

    // A resumes: the user's mark on the incident is B's change's sequence number now, later than A's, so A's ADD fails
    // its condition and A stops.
    slow.release();
    await a;
    // One voter, standing 👎.
    expect(await counters(incident.id)).toEqual({ up: 0, down: 1 });
  });
});
