import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { learningOn } from '../support/learning.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** The knowledge lookup's reads against the embedded store: what each lookup costs, and that no entry is missed. */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('guard-kb-reads');
});

afterAll(async () => {
  await store?.close();
});

function counted() {
  const { client, calls } = store.countedDocuments();
  const learning = learningOn(client);
  return { learning, calls };
}

function incident(id: string, fingerprint: string, category: Incident['category']): Incident {
  return newIncident({ id, source: 'github', repository: 'acme/app', repositoryId: 1, pullRequest: 5, fingerprint, category, template: `${fingerprint}: expected <n> received <n>`, failureLines: [{ line: 1, text: 'expected 1 received 2' }] }, new Date());
}

const description = (category: 'test_failure' | 'network') => ({ template: 'expected <n> received <n>', category, source: 'learned' as const });

describe('knowledge lookup reads', () => {
  it('takes a recurring failure\'s entry from its category\'s candidates, without reading it again by key', async () => {
    const { learning, calls } = counted();
    await learning.knowledge.recordSeen({ fingerprint: 'fp-recurring', scope: 'repo:1' }, description('test_failure'), new Date());
    calls.length = 0;
    const current = incident('i-1', 'fp-recurring', 'test_failure');

    const { knowledge } = await learning.lookup(current, summarizeHistory(current, []));

    expect(knowledge.entries?.[0]).toMatchObject({ fingerprint: 'fp-recurring', match: 'exact' });
    expect(knowledge.seenBefore).toBe(1);
    expect(calls).not.toContain('GetCommand');
    // No pull-request pointer is written: /guard feedback finds the pull request's incidents by the pull request index.
    expect(calls).not.toContain('PutCommand');
  });

  it('still finds an exact entry that is not among the candidates (stored under another category)', async () => {
    const { learning, calls } = counted();
    await learning.knowledge.recordSeen({ fingerprint: 'fp-elsewhere', scope: 'repo:1' }, description('network'), new Date());
    await learning.knowledge.recordSeen({ fingerprint: 'fp-elsewhere', scope: 'repo:1' }, description('network'), new Date());
    calls.length = 0;
    const current = incident('i-2', 'fp-elsewhere', 'test_failure');

    const { knowledge } = await learning.lookup(current, summarizeHistory(current, []));

    expect(knowledge.entries?.[0]).toMatchObject({ fingerprint: 'fp-elsewhere', match: 'exact' });
    expect(knowledge.seenBefore).toBe(2);
    expect(calls.filter((name) => name === 'GetCommand')).toHaveLength(1);
  });
});
