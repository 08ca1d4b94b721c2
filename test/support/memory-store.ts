import { APPROVAL_FIELDS, type ClaimName, type Incident, countedClaimValue, isDueForReconciler, mayMoveTo, outsiderCanRepeat, readClaimValue } from '../../shared/domain/incident.js';
import { DROPPED_FIELD, INCIDENT_LIST_BOUNDS, type IncidentListName, entriesToDrop } from '../../shared/domain/incident-lists.js';
import type { GreenRunNote } from '../../shared/domain/recovery.js';
import type { GreenRunNotes } from '../../shared/stores/green-run-notes.js';
import { IncidentOwnerMismatchError } from '../../shared/errors.js';
import { repositoryKey, sameRepository } from '../../shared/domain/repository-key.js';
import { type AppendLists, COMPARED_APPROVAL_FIELDS, type ExpectedApproval, type IncidentOwner, type IncidentStore, type UpdateOptions, WRITE_IDS_KEPT, historyKeyOf } from '../../shared/stores/incident-store.js';

/** A fingerprint filed under another owner's history is refused, as the DynamoDB store's condition refuses it. */
function refuseAnotherOwner(id: string, stored: Incident, fields: Partial<Incident>, owner: IncidentOwner | undefined): void {
  const ownerKey = owner && typeof fields.fingerprint === 'string' ? historyKeyOf({ ...owner, fingerprint: fields.fingerprint }) : null;
  if (ownerKey && historyKeyOf({ ...stored, fingerprint: fields.fingerprint ?? null }) !== ownerKey) throw new IncidentOwnerMismatchError(id);
}

/** In-memory IncidentStore for unit tests; same semantics as the DynamoDB one (conditional create, appends). */
export function createMemoryStore(clock: () => Date = () => new Date()): IncidentStore & { items: Map<string, { incident: Incident; scope: string | null; trigger?: unknown }> } {
  const items = new Map<string, { incident: Incident; scope: string | null; trigger?: unknown }>();
  const alarmOks = new Map<string, Date>();
  /** Each incident's recent write ids, oldest first and as many as kept (the DynamoDB store's WRITE_IDS attribute). */
  const recentWriteIds = new Map<string, string[]>();
  const byNewest = (a: Incident, b: Incident) => b.createdAt.localeCompare(a.createdAt);
  return {
    items,
    async create(incident, scope, trigger) {
      if (items.has(incident.id)) return false;
      items.set(incident.id, { incident: structuredClone(incident), scope, trigger: structuredClone(trigger) });
      return true;
    },
    async triggerOf(id) {
      return structuredClone(items.get(id)?.trigger ?? null);
    },
    async claimAttempt(id, next) {
      const item = items.get(id);
      if (!item || (item.incident.executionAttempt ?? 0) !== next - 1) return false;
      item.incident = { ...item.incident, executionAttempt: next, updatedAt: clock().toISOString() };
      return true;
    },
    async listUnfinished({ createdAfter, updatedBefore, dueBy, limit }) {
      return [...items.values()]
        .map((i) => i.incident)
        .filter(
          (i) =>
            i.status !== 'notified' &&
            i.status !== 'resolved' &&
            i.createdAt > createdAfter.toISOString() &&
            i.updatedAt < updatedBefore.toISOString() &&
            isDueForReconciler(i, dueBy.toISOString()),
        )
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .slice(0, limit);
    },
    async get(id) {
      const item = items.get(id);
      return item ? structuredClone(item.incident) : null;
    },
    async update(id, fields, append: AppendLists = {}, options: UpdateOptions = {}) {
      const item = items.get(id);
      if (!item) throw new Error(`ConditionalCheckFailed: ${id}`);
      refuseAnotherOwner(id, item.incident, fields, options.owner);
      // Made already: nothing is written, as the DynamoDB store's condition on its recent write ids refuses it.
      if (options.writeId !== undefined) {
        const writeIds = recentWriteIds.get(id) ?? [];
        if (writeIds.includes(options.writeId)) return structuredClone(item.incident);
        recentWriteIds.set(id, [...writeIds, options.writeId].slice(-WRITE_IDS_KEPT));
      }
      // Status only moves forward, as the DynamoDB store's condition enforces.
      const { status, ...rest } = fields;
      // Kept where present, as the DynamoDB store's if_not_exists keeps them (attack-46b B1).
      for (const key of options.keepFirst ?? []) if (item.incident[key] !== undefined) delete (rest as Record<string, unknown>)[key];
      const moves = status !== undefined && mayMoveTo(item.incident.status, status);
      const next = { ...item.incident, ...structuredClone(rest), ...(moves ? { status } : {}), updatedAt: clock().toISOString() } as Incident;
      for (const [key, entries] of Object.entries(append) as Array<[IncidentListName, unknown[] | undefined]>) {
        if (!entries?.length) continue;
        const list = [...((next as unknown as Record<string, unknown[]>)[key] ?? []), ...entries];
        // Bounded in total as the DynamoDB store bounds it: the most recent entries kept, the dropped counted.
        const drop = entriesToDrop(list, INCIDENT_LIST_BOUNDS[key]);
        (next as unknown as Record<string, unknown[]>)[key] = list.slice(drop);
        if (drop > 0) next[DROPPED_FIELD[key]] = (next[DROPPED_FIELD[key]] ?? 0) + drop;
      }
      item.incident = next;
      return structuredClone(next);
    },
    async updateIfStatusMoves(id, fields, append: AppendLists = {}, options: { owner?: IncidentOwner; approvalAsRead?: ExpectedApproval | null } = {}) {
      const item = items.get(id);
      if (!item) return null;
      // Another owner's is refused by name whatever its status, as the DynamoDB store reads the owner once refused.
      refuseAnotherOwner(id, item.incident, fields, options.owner);
      if (!mayMoveTo(item.incident.status, fields.status)) return null;
      if (options.approvalAsRead !== undefined && !approvalIsAsRead(item.incident.approval, options.approvalAsRead)) return null;
      return this.update(id, fields, append, options.owner ? { owner: options.owner } : {});
    },
    async replaceApproval(id, expected, approval, append: AppendLists = {}, fields = {}) {
      const item = items.get(id);
      if (!item || !approvalIsAsRead(item.incident.approval, expected)) return false;
      // The request read, continued: only over that request, and what this version does not know of it stays (as in DynamoDB).
      const stored = item.incident.approval;
      const continued = expected?.requestedAt !== undefined && approval.requestedAt === expected.requestedAt;
      if (continued && stored?.requestedAt !== approval.requestedAt) return false;
      const unknown = continued && stored ? Object.fromEntries(Object.entries(stored).filter(([key]) => !(APPROVAL_FIELDS as string[]).includes(key))) : {};
      await this.update(id, { ...fields, approval: { ...unknown, ...approval } }, append);
      return true;
    },
    async record(id, fields, append: AppendLists = {}, options: { claim?: ClaimName; keepUpdatedAt?: boolean; owner?: IncidentOwner } = {}) {
      const updatedAt = items.get(id)?.incident.updatedAt;
      await this.update(id, fields, append, options.owner ? { owner: options.owner } : {});
      const item = items.get(id) as { incident: Incident };
      if (options.keepUpdatedAt && updatedAt !== undefined) item.incident.updatedAt = updatedAt;
      const marks = item.incident as unknown as Record<string, unknown>;
      if (!options.claim) return { claimed: false };
      const before = readClaimValue(marks[options.claim]);
      if (before?.counted) return { claimed: false, counted: true };
      if (before) return { claimed: false, claimedAt: before.at };
      marks[options.claim] = clock().toISOString();
      return { claimed: true, claimedAt: new Date(marks[options.claim] as string) };
    },
    // One process, no retried writes: no other delivery reads a claim while this one counts, so nothing to wait for.
    async recordClaimCounted(id, claim, claimedAt) {
      const item = items.get(id);
      if (!item) return false;
      (item.incident as unknown as Record<string, unknown>)[claim] = countedClaimValue(claimedAt);
      return true;
    },
    async endClaimReading() {},
    async listRecent(limit) {
      return [...items.values()].map((i) => i.incident).sort(byNewest).slice(0, limit);
    },
    async search(filter, limit, after) {
      const matching = [...items.values()]
        .map((i) => i.incident)
        .filter(
          (i) =>
            (filter.status === undefined || i.status === filter.status) &&
            (filter.repository === undefined || i.repository === filter.repository) &&
            (filter.category === undefined || i.category === filter.category) &&
            (filter.source === undefined || i.source === filter.source) &&
            (filter.since === undefined || i.createdAt >= filter.since.toISOString()) &&
            (!after || i.createdAt < after.createdAt || (i.createdAt === after.createdAt && i.id < after.id)),
        )
        .sort((a, b) => byNewest(a, b) || b.id.localeCompare(a.id));
      const page = matching.slice(0, limit);
      const last = page.at(-1);
      return { items: structuredClone(page), next: matching.length > limit && last ? { id: last.id, createdAt: last.createdAt } : null };
    },
    async listOpenInScope(scope, limit) {
      return [...items.values()].filter((i) => i.scope === scope && i.incident.status !== 'resolved').map((i) => i.incident).sort(byNewest).slice(0, limit);
    },
    async listByPullRequest(repository, pullRequest, limit, options = {}) {
      return [...items.values()]
        .map((i) => i.incident)
        // Indexed by the repository's id when known (found after a rename), else by its name, as the DynamoDB store.
        .filter((i) => i.pullRequest === pullRequest && i.repository !== null &&
          ((repository.id !== null && i.repositoryId === repository.id) || repositoryKey(i.repository) === repositoryKey(repository.name)))
        .filter((i) => sameRepository(i, { full_name: repository.name, id: repository.id }))
        .sort(byNewest)
        .slice(0, limit)
        .filter((i) => i.id !== options.except);
    },
    async listHistory(incident, limit) {
      const key = historyKeyOf(incident);
      if (!key) return [];
      return [...items.values()].map((i) => i.incident).filter((i) => historyKeyOf(i) === key && !outsiderCanRepeat(i)).sort(byNewest).slice(0, limit);
    },
    async noteAlarmOk(alarmArn, at) {
      const latest = alarmOks.get(alarmArn);
      if (latest && latest.getTime() >= at.getTime()) return false;
      alarmOks.set(alarmArn, new Date(at));
      return true;
    },
    async latestAlarmOk(alarmArn) {
      const latest = alarmOks.get(alarmArn);
      return latest ? new Date(latest) : null;
    },
  };
}

/** Whether `approval` is still the one read (`expected`; null: none), as the DynamoDB store's condition compares it. */
function approvalIsAsRead(approval: Incident['approval'], expected: ExpectedApproval | null): boolean {
  return COMPARED_APPROVAL_FIELDS.every((key) => (approval?.[key] ?? null) === (expected?.[key] ?? null));
}

/** Green-run notes in memory (shared/stores/green-run-notes.ts); the later attempts' incidents are looked up in `incidents`. */
export function createMemoryGreenRunNotes(incidents: Pick<IncidentStore, 'get'>, clock: () => Date = () => new Date()): GreenRunNotes {
  const notes = new Map<string, GreenRunNote>();
  const newest = new Map<string, GreenRunNote>();
  return {
    async noteGreenRun(scope, run) {
      const green: GreenRunNote = { ...run, notedAt: clock() };
      const latest = notes.get(scope);
      const movesLatest = !latest || latest.completedAt.getTime() < green.completedAt.getTime();
      if (movesLatest) notes.set(scope, structuredClone(green));
      const top = newest.get(scope);
      const movesNewest = green.runNumber !== null &&
        (!top || (top.runNumber ?? 0) < green.runNumber || (top.runNumber === green.runNumber && top.completedAt.getTime() < green.completedAt.getTime()));
      if (movesNewest) newest.set(scope, structuredClone(green));
      return movesLatest || movesNewest;
    },
    async laterOnRecord(scope, laterAttempts) {
      let laterAttemptFailed: number | null = null;
      for (const { attempt, incidentId } of laterAttempts) {
        if ((await incidents.get(incidentId)) !== null && attempt > (laterAttemptFailed ?? 0)) laterAttemptFailed = attempt;
      }
      const copy = (note: GreenRunNote | undefined) => (note ? structuredClone(note) : null);
      return { green: copy(notes.get(scope)), newestRun: copy(newest.get(scope)), laterAttemptFailed };
    },
  };
}

/**
 * `store` as a function sees it when it dies right before recording an incident notified, `times` runs in a row (the
 * crash between a page and its record): that write throws, every other write goes through.
 */
export function dyingBeforeNotified<S extends IncidentStore>(store: S, times: number, message: string): S {
  let left = times;
  return {
    ...store,
    async update(id, fields, append) {
      if (fields.status === 'notified' && left-- > 0) throw new Error(message);
      return store.update(id, fields, append);
    },
  };
}
