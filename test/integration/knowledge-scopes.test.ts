import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createKbCommand } from '../../shared/cli/commands/kb.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { interceptedSends, scratchStoreForFile } from '../support/harness.js';
import { learningOn } from '../support/learning.js';

/**
 * The operator's view of what the guard learned (the dashboard's knowledge page, `GET /knowledge/scopes`): learned
 * entries are kept per repository (attacker's pass 50, L2), keyed by the repository's id, which no operator reads; the
 * scopes that learned something are listed, and each scope and entry carries the repository's full name, for display.
 */
const scratch = scratchStoreForFile('knowledge-scopes');
const at = new Date('2026-11-20T10:00:00Z');

/** `client`, recording the key of every item an UpdateItem writes. */
function recordingUpdates(client: DynamoDBDocumentClient) {
  const updated: Array<Record<string, unknown>> = [];
  const recording = interceptedSends(client, (command, send) => {
    if (command.constructor.name === 'UpdateCommand' && command.input.Key) updated.push(command.input.Key);
    return send();
  });
  return { client: recording, scopeWrites: () => updated.filter((key) => key.pk === 'KB#SCOPES').length };
}

function failure(id: string, repository: string, repositoryId: number, fingerprint: string): Incident {
  return newIncident(
    { id, source: 'github', status: 'notified', repository, repositoryId, branch: 'main', defaultBranch: 'main', fromFork: false, runEvent: 'push', category: 'network', template: 'Error: connect ECONNREFUSED', fingerprint },
    at,
  );
}

describe("the scopes of learned knowledge, as an operator reads them", () => {
  it('lists every scope that learned something, with its repository name, newest first', async () => {
    // Prepare
    const earlier = new Date(at.getTime() - 60_000);
    const later = new Date(at.getTime() + 60_000);
    await learningOn(scratch.client, () => at).countSeen(failure('gh-930-6001-1', 'acme/first', 930, 'fp-scopes-a'), at);
    await learningOn(scratch.client, () => later).countSeen(failure('gh-931-6002-1', 'acme/second', 931, 'fp-scopes-b'), later);
    await learningOn(scratch.client, () => earlier).countSeen({ ...failure('cw-alarm-1', 'x/y', 1, 'fp-scopes-c'), source: 'cloudwatch', repository: null, repositoryId: null }, earlier);
    const learning = learningOn(scratch.client, () => later);

    // Act
    const scopes = await learning.knowledge.listScopes(50);

    // Assert
    expect(scopes).toEqual([
      { scope: 'repo:931', repository: 'acme/second', lastLearned: later.toISOString() },
      { scope: 'repo:930', repository: 'acme/first', lastLearned: at.toISOString() },
      { scope: 'alarms', repository: null, lastLearned: earlier.toISOString() },
    ]);
    expect(await learning.knowledge.listScopes(1)).toHaveLength(1);
  });

  it("names the repository on its learned entry, and follows a rename, the key staying the repository's id", async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    await learning.countSeen(failure('gh-932-6003-1', 'acme/old-name', 932, 'fp-scopes-rename'), at);

    // Act
    await learning.countSeen(failure('gh-932-6004-1', 'acme/new-name', 932, 'fp-scopes-rename'), at);

    // Assert
    const entry = await learning.knowledge.get('fp-scopes-rename', 'repo:932');
    expect(entry).toMatchObject({ scope: 'repo:932', repository: 'acme/new-name', seen: 2 });
    expect((await learning.knowledge.listScopes(50)).find((s) => s.scope === 'repo:932')?.repository).toBe('acme/new-name');
  });

  it('`guard kb list --scope owner/name` reads the scope of the repository of that name, and refuses a name none learned under', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    await learning.countSeen({ ...failure('gh-933-6005-1', 'acme/by-name', 933, 'fp-scopes-cli'), template: 'Error: kb list by name', title: 'Error: kb list by name' } as Incident, at);
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: () => undefined } as never;

    // Act
    const code = await createKbCommand(async () => learning).run(['list', '--scope', 'acme/by-name', '--json'], io);

    // Assert
    expect(code).toBe(0);
    const entries = JSON.parse(out.join('\n')) as Array<{ fingerprint: string; scope?: string; repository?: string }>;
    expect(entries.find((entry) => entry.fingerprint === 'fp-scopes-cli')).toMatchObject({ scope: 'repo:933', repository: 'acme/by-name' });
    await expect(createKbCommand(async () => learning).run(['list', '--scope', 'acme/never-learned'], io)).rejects.toThrow(/acme\/never-learned/);
  });
  it('`guard kb list --scope owner/name` refuses a name several repositories learned under, listing their scopes', async () => {
    // Prepare: acme/twice deleted and created again (a new id), both having learned something
    const learning = learningOn(scratch.client, () => at);
    await learning.countSeen(failure('gh-934-6006-1', 'acme/twice', 934, 'fp-scopes-twice-a'), at);
    await learning.countSeen(failure('gh-935-6007-1', 'acme/twice', 935, 'fp-scopes-twice-b'), at);
    const io = { out: () => undefined, err: () => undefined } as never;

    // Act
    const run = createKbCommand(async () => learning).run(['list', '--scope', 'acme/twice'], io);

    // Assert
    await expect(run).rejects.toThrow(/repo:934.*repo:935|repo:935.*repo:934/);
  });
  it("writes a scope's item in the list of scopes once a day through one store, whatever its learned writes that day", async () => {
    // Prepare
    const { client, scopeWrites } = recordingUpdates(scratch.client);
    let now = at;
    const learning = learningOn(client, () => now);
    const key = { fingerprint: 'fp-scopes-daily', scope: 'repo:936', repository: 'acme/daily' };
    const description = { template: 'Error: scopes daily', category: 'network' as const, source: 'learned' as const };

    // Act: a day's sightings, an outcome and a vote, then the next day's first sighting
    await learning.knowledge.recordSeen(key, description, at);
    await learning.knowledge.recordSeen({ ...key, fingerprint: 'fp-scopes-daily-2' }, description, new Date(at.getTime() + 3_600_000));
    await learning.knowledge.recordOutcome(key, description, 'rerun_failed_jobs', true, new Date(at.getTime() + 7_200_000));
    await learning.knowledge.recordFeedback(key, 1, 0);
    const sameDay = scopeWrites();
    now = new Date(at.getTime() + 86_400_000);
    await learning.knowledge.recordSeen(key, description, now);

    // Assert
    expect(sameDay).toBe(1);
    expect(scopeWrites()).toBe(2);
    expect((await learning.knowledge.listScopes(500)).find((scope) => scope.scope === 'repo:936')).toEqual({ scope: 'repo:936', repository: 'acme/daily', lastLearned: now.toISOString() });
  });

  it("(ordinary use) keeps a scope listed while any entry it learned that day lives, the day's first write having noted it", async () => {
    // Prepare: learned early in the day, and again late in it through the same store
    const early = new Date('2026-11-21T00:30:00Z');
    const late = new Date('2026-11-21T23:30:00Z');
    let now = early;
    const learning = learningOn(scratch.client, () => now);
    const key = { fingerprint: 'fp-scopes-early', scope: 'repo:937', repository: 'acme/all-day' };
    const description = { template: 'Error: scopes all day', category: 'network' as const, source: 'learned' as const };
    await learning.knowledge.recordSeen(key, description, early);
    now = late;
    await learning.knowledge.recordSeen({ ...key, fingerprint: 'fp-scopes-late' }, description, late);

    // Act: a minute before the late entry expires (retention 180 days)
    const before = learningOn(scratch.client, () => new Date(late.getTime() + 180 * 86_400_000 - 60_000));

    // Assert
    expect(await before.knowledge.get('fp-scopes-late', 'repo:937')).not.toBeNull();
    expect((await before.knowledge.listScopes(500)).map((scope) => scope.scope)).toContain('repo:937');
  });

  it('reads the whole list of scopes, not its first page: the newest of 1,100 is listed first, and an old one past the first page answers to its name', async () => {
    // Prepare: 1,100 scopes that learned something a day earlier, written in the layout the store writes (its page
    // is 1,000 items: `acme/bulk-1090` is on the second), then one that learns now and sorts after all of them
    // (`SCOPE#repo:999…` after `SCOPE#repo:1…`).
    const dayBefore = new Date(at.getTime() - 86_400_000).toISOString();
    const expiresAt = Math.floor(at.getTime() / 1000) + 30 * 86_400;
    const items = Array.from({ length: 1_100 }, (_, k) => ({
      pk: 'KB#SCOPES',
      sk: `SCOPE#repo:${100_000 + k}`,
      kind: 'knowledge-scope',
      kbScope: `repo:${100_000 + k}`,
      kbRepository: `acme/bulk-${k}`,
      lastLearned: dayBefore,
      expiresAt,
    }));
    for (let k = 0; k < items.length; k += 25) {
      await scratch.client.send(new BatchWriteCommand({ RequestItems: { incidents: items.slice(k, k + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    // Later than every other scope this file's tests learn in.
    const now = new Date(at.getTime() + 10 * 86_400_000);
    const learning = learningOn(scratch.client, () => now);
    await learning.countSeen(failure('gh-999999-6008-1', 'acme/newest', 999_999, 'fp-scopes-newest'), now);
    const io = { out: () => undefined, err: () => undefined } as never;

    // Act
    const newest = await learning.knowledge.listScopes(1);
    const all = await learning.knowledge.listScopes(10_000);
    const code = await createKbCommand(async () => learning).run(['list', '--scope', 'acme/newest'], io);
    const olderThanAThousand = await createKbCommand(async () => learning).run(['list', '--scope', 'acme/bulk-1090'], io);

    // Assert
    expect(newest).toEqual([{ scope: 'repo:999999', repository: 'acme/newest', lastLearned: now.toISOString() }]);
    expect(all.filter((scope) => scope.repository?.startsWith('acme/bulk-'))).toHaveLength(1_100);
    expect(code).toBe(0);
    expect(olderThanAThousand).toBe(0);
  });
});
