import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { pageOccurrence, routeEscalation } from '../../../shared/notify/escalation-policy.js';
import { claimPage } from '../../../shared/notify/page-claims.js';
import { DEFAULT_POLICY } from '../../../shared/remediation/policy.js';
import { createMemoryEscalationLedger } from '../../support/fakes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/** A push to `main` of `repository` (GitHub's id `repositoryId`) failing with fingerprint fp-1 at `at`: it pages. */
function failure(id: string, repository: string, repositoryId: number | null, at: string): Incident {
  return newIncident({ id, source: 'github', repository, repositoryId, branch: 'main', runEvent: 'push', workflowName: 'CI', runAttempt: 1, fingerprint: 'fp-1', status: 'notified' }, new Date(at));
}

async function claimed(incident: Incident, at: string, ledger: ReturnType<typeof createMemoryEscalationLedger>, incidents = createMemoryStore()) {
  const route = routeEscalation({ incident, reasons: ['the analysis asks for a human'], guardDegraded: false, commented: false, ownRerun: false, policy: DEFAULT_POLICY.escalation });
  if (!route.page) throw new Error(`not paged: ${route.why}`);
  const occurrence = pageOccurrence(route, incident, new Date(at), { defaults: {}, repositories: {} });
  return claimPage(occurrence, incident, { escalationLedger: ledger, incidents });
}

describe("a GitHub failure's problem, keyed by the repository's GitHub id", () => {
  it('is the same problem after the repository is renamed: the same failure within the window is counted, not paged again', async () => {
    const ledger = createMemoryEscalationLedger();

    const before = await claimed(failure('gh-7-1-1', 'acme-shop/checkout', 7, '2026-11-20T10:00:00Z'), '2026-11-20T10:00:00Z', ledger);
    const afterRename = await claimed(failure('gh-7-2-1', 'acme/checkout', 7, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger);

    expect(before.send).toBe(true);
    expect(afterRename.send).toBe(false);
  });

  it("is another problem for another repository that took over the name: its failure pages, not counted on the first one's page", async () => {
    const ledger = createMemoryEscalationLedger();

    await claimed(failure('gh-7-1-1', 'acme-shop/checkout', 7, '2026-11-20T10:00:00Z'), '2026-11-20T10:00:00Z', ledger);
    const stranger = await claimed(failure('gh-9-1-1', 'acme-shop/checkout', 9, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger);

    expect(stranger.send).toBe(true);
  });

  it('counts a failure on the window its problem opened under the name before the deploy, while that window lasts', async () => {
    // Prepare: the page of the problem went out under the name's key (the version before this one).
    const ledger = createMemoryEscalationLedger();
    const window = DEFAULT_POLICY.escalation.windowMinutes;
    await ledger.record({ key: 'gh:acme-shop/checkout:fp-1', incidentId: 'gh-7-1-1', at: new Date('2026-11-20T10:00:00Z'), windowMinutes: window, mayOpen: true, label: 'CI in acme-shop/checkout' });
    const end = new Date(Date.parse('2026-11-20T10:00:00Z') + window * 60_000);

    // Act: the same failure, recorded with the id, within that window, and after it
    const within = await claimed(failure('gh-7-2-1', 'acme-shop/checkout', 7, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger);
    const after = await claimed(failure('gh-7-3-1', 'acme-shop/checkout', 7, end.toISOString()), new Date(end.getTime() + 60_000).toISOString(), ledger);

    // Assert
    expect(within.send).toBe(false);
    expect(after.send).toBe(true);
    expect(after.send && after.claims[0]?.key).toBe('gh:id-7:fp-1');
  });

  describe('on a window the name opened before the deploy', () => {
    const OPENED = '2026-11-20T10:00:00Z';
    /** The version before paged `opener`'s failure under the name's key at OPENED, and the incident is stored. */
    async function pagedByNameBefore(opener: Incident) {
      const ledger = createMemoryEscalationLedger();
      const incidents = createMemoryStore();
      await incidents.create(opener, null, null);
      const window = DEFAULT_POLICY.escalation.windowMinutes;
      await ledger.record({ key: 'gh:acme-shop/checkout:fp-1', incidentId: opener.id, at: new Date(OPENED), windowMinutes: window, mayOpen: true, label: 'CI in acme-shop/checkout' });
      return { ledger, incidents };
    }

    it('pages the failure of a repository created again under the name within that window: the window is the deleted one\'s', async () => {
      // Prepare: repository 7's page went out by name; 7 is deleted, and a new repository (id 9) takes the name.
      const { ledger, incidents } = await pagedByNameBefore(failure('gh-7-1-1', 'acme-shop/checkout', 7, OPENED));

      // Act
      const recreated = await claimed(failure('gh-9-1-1', 'acme-shop/checkout', 9, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger, incidents);

      // Assert: paged, on its own id's key.
      expect(recreated.send).toBe(true);
      expect(recreated.send && recreated.claims[0]?.key).toBe('gh:id-9:fp-1');
    });

    it('counts the same repository\'s failure on it, and a failure without a repository id, which writes by name', async () => {
      // Prepare
      const { ledger, incidents } = await pagedByNameBefore(failure('gh-7-1-1', 'acme-shop/checkout', 7, OPENED));

      // Act
      const same = await claimed(failure('gh-7-2-1', 'acme-shop/checkout', 7, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger, incidents);
      const nameOnly = await claimed(failure('gh-x-3-1', 'acme-shop/checkout', null, '2026-11-20T10:25:00Z'), '2026-11-20T10:25:00Z', ledger, incidents);

      // Assert
      expect(same.send).toBe(false);
      expect(nameOnly.send).toBe(false);
    });

    it('counts a failure with an id on a window a failure without one opened: which repository that was is not known', async () => {
      // Prepare
      const { ledger, incidents } = await pagedByNameBefore(failure('gh-x-1-1', 'acme-shop/checkout', null, OPENED));

      // Act
      const withId = await claimed(failure('gh-7-2-1', 'acme-shop/checkout', 7, '2026-11-20T10:20:00Z'), '2026-11-20T10:20:00Z', ledger, incidents);

      // Assert
      expect(withId.send).toBe(false);
    });
  });
});
