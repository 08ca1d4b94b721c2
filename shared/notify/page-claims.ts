import { OPEN_ALARM_INCIDENTS_READ, alarmEpisodeAfter } from '../domain/alarm-incident.js';
import { CLOCK_SKEW_MS } from '../domain/event-time.js';
import type { Incident } from '../domain/incident.js';
import { failureTimeOf, firedAtOf } from '../domain/recovery.js';
import { alarmScope } from '../domain/trigger.js';
import type { EscalationLedger, EscalationOccurrence, EscalationTally } from '../ports.js';
import { recordTakingOver } from './claim-take-over.js';
import { nameKeyedProblem } from './escalation-policy.js';

/**
 * What the escalation ledger decided about a page: send it (its claims, given back if the publish fails; `note`, a
 * sentence the page adds; `storm`, the alarm storm it is the one page of), or why not.
 */
export type PageClaim =
  | { send: true; tally: EscalationTally; claims: EscalationOccurrence[]; note: string; storm?: { alarms: number } }
  | { send: false; detail: string };

/**
 * Alarm pages of the deployment are grouped for this many minutes from the first (the group's lead): an outage fires
 * its alarms over a few evaluation periods of 1 to 5 minutes, and a shorter window split one outage into several
 * groups, while a longer one delays the digest that names the grouped alarms.
 */
export const ALARM_GROUP_MINUTES = 5;
/** How long before its group's start an alarm may have fired and still join it (its lead was handled first). */
export const ALARM_GROUP_EARLY_MS = 60_000;
/**
 * How long after its group ended an alarm handled late may still join it (or lead one of its own at its time): the
 * group's digest parts are due at its end, and the reconciler reads due digests at least 25 hours back
 * (RECONCILE_LOOKBACK_HOURS); 30 minutes leaves the reconciler's runs room. Later, the alarm pages as its own.
 */
const LATE_JOIN_MINUTES = 30;
/**
 * How long before it is handled an alarm may have fired and still lead a group at its own time: the group's digest is
 * due when it ends, and the reconciler reads due digests RECONCILE_LOOKBACK_HOURS back (48 in the stack, at least 25
 * by the config's bound), so a group led at most 24 hours back leaves its runs an hour or more to send it. EventBridge gives up on an event after 2 hours: an older
 * alarm is a redrive, an archive replay or a forged event, and pages as its own (once: its problem's window), as an
 * alarm whose group is gone does. A bound on its time, compared before any arithmetic: this is the guard that carries
 * attack-43b F6 (a stamp at the earliest time a Date holds made the group's cutoff, 5 minutes before, an invalid Date
 * that threw on every try of Notify). Ingest's reading of a stamp before 2000 as the handling time
 * (`stateChangedAtOf`, `stampEarly`) does not: it sets the incident's `failedAt`, and the group goes by the alarm's
 * own stamp (`firedAtOf`, `alarm.stateChangedAt`), which is kept as CloudWatch sent it.
 */
export const OLDEST_LEAD_HOURS = 24;
/** The ledger items of an alarm group: the lead's (its window, its count and digest), then one per later place in it. */
const ALARM_GROUP_KEY = 'alarm-group';
/**
 * A storm goes on: a group that starts at most this many minutes after the end of a group that reached storm size
 * (its third alarm) pages nobody for its lead; every alarm of it is named in its own digest. Longer than that without
 * a new group is a quiet gap, and the next alarm is a new outage that pages. 5 minutes: a group's own length.
 */
const STORM_GOES_ON_MINUTES = ALARM_GROUP_MINUTES;

/**
 * Parts of an alarm group's digest: the group's own (`…:<start>:digest`) names its alarms while it is unclaimed and
 * remembers fewer than MAX_SEEN_PER_WINDOW; an alarm of the group handled after that digest was claimed (its Notify
 * ran late: a backlog, a retry, a redrive) or filled up is named on the next part (`…:<start>:digest:2`, …), due at
 * the group's end like the first, so the reconciler's next run sends it. 10: 10,000 alarms of one group, or alarms
 * handled late over ten reconciler runs (50 minutes). An alarm that finds every part claimed or full pages as its own.
 */
export const MAX_GROUP_DIGEST_PARTS = 10;

export interface PageClaimDeps {
  escalationLedger: EscalationLedger;
  incidents: { get(id: string): Promise<Incident | null>; listOpenInScope(scope: string, limit: number): Promise<Incident[]> };
}

/** What moving a problem to the key it had under the repository's name reads: that key's window, and who opened it. */
export interface NameWindowDeps {
  escalationLedger: Pick<EscalationLedger, 'opener'>;
  incidents: { get(id: string): Promise<Pick<Incident, 'repositoryId'> | null> };
}

/**
 * `occurrence` of a GitHub problem keyed by the repository's id, moved to the key its problem had under the
 * repository's name (see {@link nameKeyedProblem}) while a window opened there still lasts: one the version before
 * session 66 opened, whose page went out. Counted there, as it was before the deploy; keyed by id, the deploy paged
 * each open problem again. Once that window ends, the id's key opens the next one. A window another repository opened
 * under the name is not this problem's (see {@link inWindowOf}).
 */
export async function inWindowByName(occurrence: EscalationOccurrence, incident: Pick<Incident, 'repository' | 'repositoryId'>, deps: NameWindowDeps): Promise<EscalationOccurrence> {
  const byName = nameKeyedProblem(occurrence.key, incident);
  return byName ? inWindowOf(occurrence, byName, incident.repositoryId, deps) : occurrence;
}

/**
 * `occurrence` moved to the key its problem had before (`earlierKey`, by the repository's name) while a window opened
 * there still lasts, unless the incident that opened it is of another repository than `repositoryId`: a name is not
 * for ever, and a repository deleted and created again under it, or another renamed onto it, within the window was
 * counted on the old repository's page, and its own failure paged nobody. An opener that names no repository id (an
 * incident without one, which still writes by name), or is gone, is taken to be the same repository, as before.
 */
export async function inWindowOf(occurrence: EscalationOccurrence, earlierKey: string, repositoryId: number | null, deps: NameWindowDeps): Promise<EscalationOccurrence> {
  const opened = await deps.escalationLedger.opener(earlierKey);
  const lasts = opened !== null && Date.parse(opened.windowStart) + occurrence.windowMinutes * 60_000 > occurrence.at.getTime();
  if (!lasts) return occurrence;
  if (typeof repositoryId === 'number' && opened.owner !== occurrence.incidentId) {
    const openerId = (await deps.incidents.get(opened.owner))?.repositoryId;
    if (typeof openerId === 'number' && openerId !== repositoryId) return occurrence;
  }
  return { ...occurrence, key: earlierKey };
}

/**
 * Claims the page `occurrence` describes in the escalation ledger: one page per problem and window. An alarm's
 * window is held by the incident that paged; an ALARM that is a new episode of the alarm takes the window over and
 * pages (counted on the old page, the second outage reached on-call only in the next day's digest): it fired more
 * than ALARM_FLAP_MINUTES after the OK that resolved that incident (by the alarm's own times), and no ALARM of the
 * alarm counted since is still open (ALARM, INSUFFICIENT_DATA, ALARM: the alarm never recovered in between).
 */
export async function claimPage(asked: EscalationOccurrence, incident: Incident, deps: PageClaimDeps): Promise<PageClaim> {
  const occurrence = incident.source === 'cloudwatch' ? asked : await inWindowByName(asked, incident, deps);
  const onChild = await countOnFiringChild(occurrence, incident, deps);
  if (onChild) return onChild;
  const tally = incident.source === 'cloudwatch'
    ? await recordTakingOver(occurrence, async (holder) => alarmEpisodeAfter(incident, holder) !== 'new' || (await firesSinceEarlier(incident, deps)), deps)
    : await deps.escalationLedger.record(occurrence);
  if (!tally.send) return { send: false, detail: countedDetail(tally) };
  if (incident.source !== 'cloudwatch') return { send: true, tally, claims: [occurrence], note: '' };
  return groupAlarmPage(occurrence, tally, incident, deps);
}

/**
 * An alarm page the problem's window let through, in its alarm group (one per deployment, {@link ALARM_GROUP_MINUTES}
 * from its lead, as PagerDuty's time-based alert grouping): the lead pages; the second alarm is grouped with it and
 * pages nobody (two alarms at once are most often one problem seen twice: a symptom and its cause, a composite and the
 * children it names); the third makes it a storm and sends its one storm page; the rest are counted on that. Every
 * one is recorded on its incident, and the lead's digest when the group ends names them all. Each place is an item of
 * the escalation ledger claimed with a conditional write, so concurrent alarms take each place once, and a retried
 * step finds its own place again (a crash between publish and record re-sends at most once, as any page).
 */
async function groupAlarmPage(problem: EscalationOccurrence, tally: EscalationTally, incident: Incident, deps: PageClaimDeps): Promise<PageClaim> {
  // A page after an approval request or a runbook says a human should look now (nobody answered, the runbook failed):
  // it is never held back for a group, whose digest may have gone out while it waited.
  if (followsApprovalOrRunbook(incident)) return { send: true, tally, claims: [problem], note: '' };
  // Grouped by when the alarms fired (their own state-change times), not when each was delivered.
  const firedAt = firedAtOf(incident);
  const at = Number.isFinite(firedAt) ? new Date(firedAt) : problem.at;
  // A time ahead of the handling clock (a forged or replayed event, a wrong clock) would lead a group every real
  // alarm until then joins; one too old would lead a group whose digest no reconciler run reads: such an alarm pages
  // as its own and leaves the group alone. Compared before any arithmetic on `at`: the raw stamp may be the earliest
  // time a Date holds (attack-43b F6, see OLDEST_LEAD_HOURS).
  const handled = problem.at.getTime();
  if (at.getTime() > handled + CLOCK_SKEW_MS || at.getTime() < handled - OLDEST_LEAD_HOURS * 3_600_000) return { send: true, tally, claims: [problem], note: '' };
  const place = (key: string, label: string): EscalationOccurrence => ({ key, incidentId: incident.id, at, windowMinutes: ALARM_GROUP_MINUTES, mayOpen: true, label, digest: false });
  // The lead's item is the one the next group opens in place of this one: its counts go with it, so the digest that
  // names the group's alarms is kept on an item of this group's own (`…:<start>:digest`), which nothing replaces.
  // Counted only on a group it fired in (or up to a minute before, see below): one that fired earlier finds its own group.
  const lead = { ...place(ALARM_GROUP_KEY, `alarms grouped with the page of ${problem.label}`), startedBy: new Date(at.getTime() + ALARM_GROUP_EARLY_MS) };
  const group = await deps.escalationLedger.record(lead);
  const start = group.windowStart;
  const end = start ? new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString() : 'the end of the group';
  const grouping = ` Alarms of this deployment that fire until ${end} are grouped with this page: a third one sends one alarm storm page, and a digest at ${end} names them all.`;
  // Without a window to join (its item unreadable), the alarm pages as its own. The ledger counts an alarm that fired
  // before the group on it too (its Notify ran late: a delayed delivery, a redrive): neither the lead's page nor this
  // group's digest is about it, so it is handled by its own time below. The group's five minutes include their end, as
  // the ledger's window does (an alarm at the end is counted on this group's item, not a new one): excluded, an alarm
  // firing right at the end paged alone every group.
  // Notifies of one outage's alarms run concurrently, so the group's lead is the first handled, not always the first
  // fired: an alarm that fired up to a minute before the group's start is of the same outage and joins it (the digest's
  // conditional count still decides whether it can be named there). One that fired earlier than that was handled late
  // (after a newer group opened, or a backlog drained newest first): it finds its group by its own time (lateAlarmPage).
  const own: PageClaim = { send: true, tally, claims: [problem], note: '' };
  if (!start || at.getTime() > Date.parse(end)) return own;
  // The group's start goes in the index late alarms look their group up in (see lateAlarmPage).
  if (group.send) await deps.escalationLedger.record(groupIndexEntry(start, incident));
  if (at.getTime() < Date.parse(start) - ALARM_GROUP_EARLY_MS) return lateAlarmPage(problem, tally, incident, at, deps);
  // Every alarm of the group is named on a part of its digest before any place is claimed (a retry names it again:
  // counted once). One handled after the first part was claimed (fired in time, handled late) still takes its place in
  // the group as it would have on time: on-call has the group's pages, and the next part names it.
  const named = await nameOnGroupDigest(start, { incidentId: incident.id, member: incident.alarm?.name ?? problem.label }, deps);
  if (named === null) return own;
  if (group.send) {
    const storm = await stormGoesOn(problem, incident, { start, at, previous: group.previousSentAt }, deps);
    if (storm) return { send: false, detail: `the alarm storm of the group that started at ${storm} goes on: this group pages nobody, and its digest at ${end} names its alarms` };
    return { send: true, tally, claims: [problem, lead], note: grouping };
  }
  if (group.alreadySent) return { send: false, detail: countedDetail(group) };
  return takePlaceInGroup(problem, tally, incident, { start, part: named.part, counted: group.windowCount }, deps);
}

/**
 * An alarm's place in the group that started at `start` after its lead (named on the digest's `part` already): the
 * second is grouped with the lead's page, the third sends the group's one storm page, the rest are counted on it.
 * `counted`: how many alarms the lead's item counted, this one included (0 when joined late: that item holds a newer
 * group). The alarms said are the larger of that and the alarm's place (the lead, the second, then each counted on the
 * storm place): the lead's item leaves out an alarm that fired before the group and joined it late, yet it takes a
 * place; the digest's count would add what takes none (a composite counted on its firing child, a storm's marker).
 */
async function takePlaceInGroup(
  problem: EscalationOccurrence,
  tally: EscalationTally,
  incident: Incident,
  group: { start: string; part: number; counted: number },
  deps: PageClaimDeps,
): Promise<PageClaim> {
  const { start, part, counted } = group;
  const end = new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString();
  const place = (key: string, label: string): EscalationOccurrence => ({ key, incidentId: incident.id, at: new Date(start), windowMinutes: ALARM_GROUP_MINUTES, mayOpen: true, label, digest: false });
  const namedIn = part === 1 ? `named in its digest at ${end}` : `named in the group's next digest (part ${part}: the parts before were sent or full when this alarm was handled), sent by the reconciler's next run`;
  const second = await deps.escalationLedger.record(place(`${ALARM_GROUP_KEY}:${start}:second`, 'the second alarm of an alarm group'));
  if (second.send || second.alreadySent) {
    return { send: false, detail: `grouped with the alarm page at ${start} (the second alarm of this deployment within ${ALARM_GROUP_MINUTES} minutes of it): ${namedIn}` };
  }
  const storm = place(`${ALARM_GROUP_KEY}:${start}:storm`, 'the storm page of an alarm group');
  const stormed = await deps.escalationLedger.record(storm);
  const alarms = Math.max(counted, 2 + stormed.windowCount);
  const which = `alarm ${alarms} of this deployment within ${ALARM_GROUP_MINUTES} minutes`;
  // A group that continues a storm sends no storm page: its third alarm only marks it a storm (for the next group).
  if (stormed.send && (await continuesStorm(start, problem, incident, deps))) {
    return { send: false, detail: `counted on the alarm storm that goes on (this group continues one): ${which}; ${namedIn}` };
  }
  if (stormed.send) {
    // Handled after the group ended (late), its digest is due already: the reconciler's next run sends it.
    const ended = problem.at.getTime() > Date.parse(end);
    const digests = part > 1 ? "the group's digests name them all (the next one at the reconciler's next run)" : ended ? "its digest, sent by the reconciler's next run, names them all" : `a digest at ${end} names them all`;
    const counted = ended ? `the ones handled late are counted on this page` : `the ones that fire until ${end} are counted on this page`;
    const note = ` This is an alarm storm: ${alarms} alarms of this deployment fired within ${ALARM_GROUP_MINUTES} minutes of the alarm page at ${start}; ${counted}, and ${digests}.`;
    return { send: true, tally, claims: [problem, storm], note, storm: { alarms } };
  }
  if (stormed.alreadySent) return { send: false, detail: countedDetail(stormed) };
  return { send: false, detail: `counted on the alarm storm page of the group that started at ${start}: ${which}; ${namedIn}` };
}

/**
 * An alarm that fired before the current group's start, handled after it (its Notify ran late: a backlog drained in no
 * order, a redrive, a retry), by the alarms' own times. It joins the group whose five minutes hold its time, found in
 * the group index (each group's start, by {@link ALARM_GROUP_MINUTES} buckets): on-call had that group's page, and the
 * group's next digest part names it. Without one, it joins the group that started within five minutes after it: the
 * same outage, whose page on-call has, so it adds nothing urgent. Without either, nothing about its outage paged: it
 * leads a group of its own at its own time (it pages, and the late alarms of that outage handled after it join it).
 * Only groups that ended at most {@link LATE_JOIN_MINUTES} before the alarm is handled are joined or opened: their
 * digest parts are due at their end, and the reconciler looks that far back. Older, the alarm pages as its own.
 */
async function lateAlarmPage(problem: EscalationOccurrence, tally: EscalationTally, incident: Incident, at: Date, deps: PageClaimDeps): Promise<PageClaim> {
  const own: PageClaim = { send: true, tally, claims: [problem], note: '' };
  const oldest = problem.at.getTime() - (LATE_JOIN_MINUTES + ALARM_GROUP_MINUTES) * 60_000;
  if (at.getTime() < oldest) return own;
  const member = { incidentId: incident.id, member: incident.alarm?.name ?? problem.label };
  const found = await groupOf(at.getTime(), deps);
  // Its own group found again (a retry of the alarm that opened it): it leads it, as below.
  if (found && found.owner !== incident.id) {
    if (Date.parse(found.start) < oldest) return own;
    const named = await nameOnGroupDigest(found.start, member, deps);
    return named === null ? own : takePlaceInGroup(problem, tally, incident, { start: found.start, part: named.part, counted: 0 }, deps);
  }
  const index = groupIndexEntry(at.toISOString(), incident);
  const opened = await deps.escalationLedger.record(index);
  const start = opened.windowStart;
  if (!start) return own;
  if (opened.send || opened.alreadySent) {
    // Named on its group's digest as any lead is, so the digest names every alarm of the group.
    await nameOnGroupDigest(start, member, deps);
    if (opened.alreadySent) return { send: false, detail: countedDetail(opened) };
    const end = new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString();
    const note = ` It was handled late, after newer alarms of this deployment had paged: the alarms that fired until ${end} and are handled late are grouped with this page, a third one sends one alarm storm page, and the group's digest names them all.`;
    return { send: true, tally, claims: [problem, index], note };
  }
  // A concurrent late alarm opened a group in the same bucket a moment before: joined if its five minutes hold this one.
  if (Math.abs(at.getTime() - Date.parse(start)) > ALARM_GROUP_MINUTES * 60_000) return own;
  const named = await nameOnGroupDigest(start, member, deps);
  return named === null ? own : takePlaceInGroup(problem, tally, incident, { start, part: named.part, counted: 0 }, deps);
}

/**
 * The group an alarm that fired at `at` belongs to, from the group index (its start, and the incident that opened its
 * entry): the latest that started at or before it and whose five minutes hold it, else the first that started within
 * five minutes after it; null if none. Reads the index buckets of the ten minutes around it: at most three items.
 */
async function groupOf(at: number, deps: PageClaimDeps): Promise<{ start: string; owner: string | undefined } | null> {
  const span = ALARM_GROUP_MINUTES * 60_000;
  const groups: Array<{ start: number; owner: string | undefined }> = [];
  for (let bucket = Math.floor((at - span) / span) * span; bucket <= at + span; bucket += span) {
    // Read only: an occurrence after every start the bucket can hold, with a window of no length, is never counted.
    const read = await deps.escalationLedger.record({
      key: groupIndexKey(bucket), incidentId: 'group-index-read', at: new Date(bucket + span), windowMinutes: 0, mayOpen: false, label: 'the start of an alarm group', digest: false,
    });
    if (read.windowStart) groups.push({ start: Date.parse(read.windowStart), owner: read.owner });
  }
  const holding = groups.filter((group) => group.start <= at && at <= group.start + span).sort((x, y) => y.start - x.start);
  const following = groups.filter((group) => group.start > at && group.start - span <= at).sort((x, y) => x.start - y.start);
  const group = holding[0] ?? following[0];
  return group ? { start: new Date(group.start).toISOString(), owner: group.owner } : null;
}

/** The group index's item for the bucket of {@link ALARM_GROUP_MINUTES} that holds `ms`: at most one group starts in each. */
function groupIndexKey(ms: number): string {
  const span = ALARM_GROUP_MINUTES * 60_000;
  return `${ALARM_GROUP_KEY}:starts:${new Date(Math.floor(ms / span) * span).toISOString()}`;
}

/** The group index entry of a group that started at `start` (its window opened there); see {@link lateAlarmPage}. */
function groupIndexEntry(start: string, incident: Incident): EscalationOccurrence {
  return { key: groupIndexKey(Date.parse(start)), incidentId: incident.id, at: new Date(start), windowMinutes: ALARM_GROUP_MINUTES, mayOpen: true, label: 'the start of an alarm group', digest: false };
}

/**
 * Whether the group `start` opened (this alarm its lead) continues an alarm storm, and the start of the group it
 * continues: the previous group (`previous`, the start the lead's item held) reached storm size and ended at most
 * {@link STORM_GOES_ON_MINUTES} before this one started. Then the lead pages nobody: on-call has the storm's page, and
 * this group's digest (its own item, due when it ends) names every alarm of it. The lead is counted on that digest
 * twice (itself, and the storm going on), so the digest is due even when no other alarm joins; should the digest be
 * claimed already, the lead pages. The decision is kept on the group's `…:continues` item, so a retried step (whose
 * lead item now holds its own start) decides the same; a crash before that write pages on the retry (one more page,
 * never a lost one). Bounded: each group must reach storm size itself for the next to go on, and a gap pages.
 */
async function stormGoesOn(
  problem: EscalationOccurrence,
  incident: Incident,
  group: { start: string; at: Date; previous: string | null },
  deps: PageClaimDeps,
): Promise<string | null> {
  const marker = continuesMarker(group.start, problem, incident);
  if (group.previous === group.start) {
    const kept = await deps.escalationLedger.record({ ...marker, mayOpen: false });
    return kept.windowStart;
  }
  if (!group.previous || Date.parse(group.start) - Date.parse(group.previous) > (ALARM_GROUP_MINUTES + STORM_GOES_ON_MINUTES) * 60_000) return null;
  // Whether the previous group's storm place was taken: read only (mayOpen false; that item keeps no digest).
  const previousStorm = await deps.escalationLedger.record({
    key: `${ALARM_GROUP_KEY}:${group.previous}:storm`, incidentId: incident.id, at: new Date(group.previous), windowMinutes: ALARM_GROUP_MINUTES, mayOpen: false, label: 'the storm page of an alarm group', digest: false,
  });
  if (previousStorm.windowStart === null) return null;
  const goesOn = await deps.escalationLedger.record({
    ...groupDigestEntry(group.start, 1, { incidentId: `${incident.id}:storm-goes-on`, member: `(the alarm storm of the group that started at ${group.previous} goes on)` }, true), beforeDigest: true,
  });
  if (!countedOnDigest(goesOn)) return null;
  await deps.escalationLedger.record({ ...marker, at: new Date(group.previous) });
  return group.previous;
}

/** The item that says the group `start` continues a storm (its window opened at the start of the group it continues). */
function continuesMarker(start: string, problem: EscalationOccurrence, incident: Incident): EscalationOccurrence {
  return { key: `${ALARM_GROUP_KEY}:${start}:continues`, incidentId: incident.id, at: problem.at, windowMinutes: ALARM_GROUP_MINUTES, mayOpen: true, label: 'an alarm group that continues a storm', digest: false };
}

/** Whether the group `start` continues a storm (see {@link stormGoesOn}): its `…:continues` item was written. */
async function continuesStorm(start: string, problem: EscalationOccurrence, incident: Incident, deps: PageClaimDeps): Promise<boolean> {
  const marker = await deps.escalationLedger.record({ ...continuesMarker(start, problem, incident), mayOpen: false });
  return marker.windowStart !== null;
}

/**
 * A composite alarm whose children (its `reasonData.triggeringAlarms`) still fire is the problem their pages are
 * about: children fire first, and each was paged or grouped when it did. When a child's own page went out as the lead
 * of an alarm group whose digest is not claimed yet, the composite is counted on that group's digest item as a grouped
 * alarm is (`beforeDigest`, its name a member) and pages nobody: the digest that names it goes out when the group ends.
 * It takes no place in the group (the composite is the children's problem seen again, not one more alarm of a storm).
 * Not on the child's 24-hour problem window: a new episode of the child takes that window over and drops its digest,
 * and the window names only its latest occurrence, so a composite counted there could be named in nothing sent.
 * Null when there is no such child (a child only grouped, or paged outside a group; a digest claimed or sent): the
 * composite pages as any alarm. A composite names alarms of its own account and region only.
 */
async function countOnFiringChild(occurrence: EscalationOccurrence, incident: Incident, deps: PageClaimDeps): Promise<PageClaim | null> {
  const alarm = incident.alarm;
  if (incident.source !== 'cloudwatch' || alarm?.kind !== 'composite' || !alarm.children?.length || !occurrence.digest) return null;
  const prefix = alarm.arn.slice(0, alarm.arn.indexOf(':alarm:') + ':alarm:'.length);
  for (const child of alarm.children) {
    const paged = (await deps.incidents.listOpenInScope(alarmScope(`${prefix}${child}`), OPEN_ALARM_INCIDENTS_READ)).filter(pagedItself);
    for (const start of new Set(paged.map(groupStartIfLead).filter((led): led is string => led !== null))) {
      // Only counted on an item a group's lead opened (never opened here), and refused once its digest was claimed.
      const counted = await deps.escalationLedger.record({ ...groupDigestEntry(start, 1, { incidentId: incident.id, member: alarm.name }, false), beforeDigest: true });
      if (!counted.send && countedOnDigest(counted) && counted.windowCount > 1) {
        const end = new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString();
        return { send: false, detail: `counted on the alarm group led by the page of its child alarm ${child}, which still fires (the composite names it in triggeringAlarms): named in its digest at ${end}` };
      }
    }
  }
  return null;
}

/** Whether a `beforeDigest` occurrence was counted on a digest that will name it: not refused (claimed, full), nor absent. */
const countedOnDigest = (tally: EscalationTally) => tally.windowStart !== null && !tally.digestClaimed && !tally.digestFull;

/**
 * Which grouping a digest belongs to: the alarm pages' (`alarm-group`) or the approval requests' (`approval-group`,
 * shared/notify/approval-groups.ts); its items are `<key>:<start>:digest[:<part>]`, labelled "<what> <start>".
 */
export interface DigestGrouping {
  key: string;
  what: string;
}

const ALARM_PAGES: DigestGrouping = { key: ALARM_GROUP_KEY, what: 'alarms grouped with the alarm page at' };

/** The ledger item whose digest names the alarms of the group that started at `start` (its `part`, from 1). */
export const groupDigestKey = (start: string, part = 1, grouping: DigestGrouping = ALARM_PAGES) => `${grouping.key}:${start}:digest${part === 1 ? '' : `:${part}`}`;

/** An occurrence on part `part` of the digest of the group that started at `start` (all at the start: its window). */
export function groupDigestEntry(
  start: string,
  part: number,
  named: { incidentId: string; member: string },
  mayOpen: boolean,
  grouping: DigestGrouping = ALARM_PAGES,
): EscalationOccurrence {
  return {
    key: groupDigestKey(start, part, grouping), incidentId: named.incidentId, at: new Date(start), windowMinutes: ALARM_GROUP_MINUTES, mayOpen,
    label: `${grouping.what} ${start}${part === 1 ? '' : ` (part ${part})`}`, digest: true, member: named.member,
  };
}

/**
 * Names an alarm of the group that started at `start` on the first part of the group's digest that is neither claimed
 * nor full ({@link MAX_GROUP_DIGEST_PARTS}), each count conditional on that (`beforeDigest`), so that the part that
 * counts it is the one that goes out with its name. The part it was named on; null when every part was claimed or full.
 * A later part is opened by a marker (saying what it continues) before its first alarm is counted on it: a digest is
 * due only for a window with repeats, and a part's alarms are all repeats, named alike.
 */
export async function nameOnGroupDigest(
  start: string,
  alarm: { incidentId: string; member: string },
  deps: Pick<PageClaimDeps, 'escalationLedger'>,
  grouping: DigestGrouping = ALARM_PAGES,
): Promise<{ part: number } | null> {
  for (let part = 1; part <= MAX_GROUP_DIGEST_PARTS; part += 1) {
    const named = { ...groupDigestEntry(start, part, alarm, part === 1, grouping), beforeDigest: true };
    let tally = await deps.escalationLedger.record(named);
    if (tally.windowStart === null && part > 1) {
      const marker = { incidentId: `${groupDigestKey(start, part, grouping)}:opened`, member: `(continues the digest of the alarm group that started at ${start}: part ${part})` };
      await deps.escalationLedger.record(groupDigestEntry(start, part, marker, true, grouping));
      tally = await deps.escalationLedger.record(named);
    }
    if (countedOnDigest(tally)) return { part };
  }
  return null;
}

/**
 * The start of the alarm group `lead` would have led: a group starts at its lead's own state-change time (see
 * groupAlarmPage); whether it did lead one is the ledger's to say (an item at that start exists only if so).
 */
function groupStartIfLead(lead: Incident): string | null {
  const firedAt = firedAtOf(lead);
  return Number.isFinite(firedAt) ? new Date(firedAt).toISOString() : null;
}

/** Whether the incident's own page went out (not counted or grouped on another's). */
const pagedItself = (other: Incident) => other.notifications.some((n) => n.channel === 'sns' && n.outcome === 'published');

/** Whether another ALARM of `incident`'s alarm, as early or earlier, is still open: the alarm has not recovered since. */
async function firesSinceEarlier(incident: Incident, deps: PageClaimDeps): Promise<boolean> {
  const open = await deps.incidents.listOpenInScope(alarmScope(incident.alarm?.arn ?? ''), OPEN_ALARM_INCIDENTS_READ);
  return open.some((other) => other.id !== incident.id && failureTimeOf(other) <= failureTimeOf(incident));
}

/**
 * Whether the incident asked for an approval, ran (or tried) a runbook, or followed its episode's run before this
 * page: a followed run that did not succeed is recorded as an escalation, and grouped as the second alarm of its
 * group, its outcome was told nobody (attack-45b B1, session 43).
 */
function followsApprovalOrRunbook(incident: Incident): boolean {
  return Boolean(incident.approval || incident.decision?.followedRun) || (incident.audit ?? []).some((entry) => entry.action === 'run_runbook' && entry.status !== 'planned');
}

/** What the incident records of a page the ledger did not let it send. */
function countedDetail(tally: EscalationTally): string {
  if (tally.alreadySent) return 'the escalation of this incident went out on an earlier try of this step';
  if (tally.windowCount > 0) return `counted on the open escalation of this problem: seen ${tally.windowCount} time${tally.windowCount === 1 ? '' : 's'} since ${tally.windowStart ?? 'the last page'}`;
  return 'a re-run started by a person never opens an escalation by itself';
}
