/**
 * Digests of escalation windows that have ended: the repeats of a problem that were counted on its open escalation
 * and reached nobody reach on-call in one message when the window ends, through the same publisher as the
 * escalation (SNS topic and chat, the webhook; the outbox locally). The reconciler runs this on its schedule in
 * AWS and on its timer locally. Bounded per run; each digest is claimed with a conditional write before it is sent
 * (shared/stores/escalation-ledger.ts), so two runs never send the same one.
 *
 * The due digests are read oldest first: one whose send fails every time (a message the publisher refuses) would
 * stay at the head, and a run's worth of them would hold back every later digest. A failed send therefore moves the
 * digest behind the ones due now and tries it again less and less often (./retry-later.ts); after too many failures
 * it is given up with an error log and the `EscalationDigestsAbandoned` metric. Every failed send, the last one too,
 * also fails the run (see `incompleteRunError`), so the reconciler's alarm sees them all along.
 */
import { createHash } from 'node:crypto';
import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import { type ApprovalGroupMailDeps, askedKey, isApprovalGroupDigest, renderApprovalGroupParts } from '../notify/approval-group-mail.js';
import { renderDigestParts } from '../notify/escalation.js';
import type { Clock, EscalationDigest, EscalationDigests, EscalationPublisher, Metrics } from '../ports.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { afterFailure } from './retry-later.js';

export interface DigestDeps {
  digests: EscalationDigests;
  incidents: Pick<IncidentStore, 'get'>;
  escalations: EscalationPublisher;
  clock: Clock;
  logger: StepLogger;
  metrics: Metrics;
  /** Where the e-mailed approval commands of a grouped request answer (see ApprovalGroupMailDeps). */
  stepFunctions?: ApprovalGroupMailDeps['stepFunctions'];
}

export interface DigestOptions {
  /** Digests per run; the rest wait for the next run. */
  maxPerRun: number;
  /** Windows that ended longer ago than this are not looked at (their entries expire). */
  lookbackHours: number;
}

export interface DigestResult {
  /** Problem keys whose digest went out in this run. */
  sent: string[];
  /** Due entries with nothing to send (covered by a newer page, sent already, or claimed by another run). */
  skipped: number;
  /** Problem keys whose digest failed in this run, those given up included: a later run tries the others again. */
  failed: string[];
  /** Problem keys whose digest was given up in this run, after failing too often. */
  abandoned: string[];
}

async function latestIncident(id: string | null, deps: DigestDeps): Promise<Incident | null> {
  if (!id) return null;
  try {
    return await deps.incidents.get(id);
  } catch (error) {
    // The digest still says what and how often without the links of the latest occurrence.
    deps.logger.warn('digest: latest incident unreadable; sending without its links', { incidentId: id, error: errorMessage(error) });
    return null;
  }
}

/**
 * Usually one message; an alarm group's digest naming more than one message holds is split, each message sent in turn
 * and, when there are several, recorded as published (by its place and the members it lists, as stored: two messages
 * may list names that render alike, redaction hiding what told them apart) on the digest's claim. A message that
 * fails leaves the others to the retry, which skips the ones recorded: on-call gets each message once, and a second
 * time only after a crash between its publish and its record. Were names counted on the window between the tries (the
 * claim given back lets them in), the split moves and the messages whose names changed go out whole: a name twice,
 * never a name in none.
 */
async function publishDigest(digest: EscalationDigest, incident: Incident | null, deps: DigestDeps): Promise<void> {
  if (isApprovalGroupDigest(digest.problemKey)) return askApprovalGroup(digest, deps);
  const parts = renderDigestParts(digest, incident);
  const published = new Set(digest.publishedMessages ?? []);
  for (const [i, { members, message }] of parts.entries()) {
    const key = parts.length > 1 ? createHash('sha256').update([i + 1, ...members].join('\n')).digest('hex').slice(0, 32) : null;
    if (key !== null && published.has(key)) continue;
    await deps.escalations.publish(message);
    if (key !== null) await deps.digests.messagePublished(digest, key);
  }
}

/**
 * An approval-request group's digest asks each request still waiting (shared/notify/approval-groups.ts). Each request
 * an e-mail asked is recorded once it is published, on the digest's claim, even alone: the retry of a send that failed
 * part-way, or of a sender that died before the digest was marked sent, leaves those requests out. Recorded by request,
 * not by message: a request decided or ended between the tries (on-call answering the first e-mail) changes which
 * messages the others make, and a record of each message's list re-sent them all (attack-44a H1, fixed in session 42).
 * Only a death between a publish and its records asks that e-mail's requests once more.
 */
async function askApprovalGroup(digest: EscalationDigest, deps: DigestDeps): Promise<void> {
  const asked = new Set(digest.publishedMessages ?? []);
  for (const { members, message } of await renderApprovalGroupParts(digest, deps, asked)) {
    await deps.escalations.publish(message);
    await Promise.all(members.map((member) => deps.digests.messagePublished(digest, askedKey(member))));
  }
}

export async function sendDueDigests(deps: DigestDeps, options: DigestOptions): Promise<DigestResult> {
  const now = deps.clock();
  const result: DigestResult = { sent: [], skipped: 0, failed: [], abandoned: [] };
  const due = await deps.digests.due(now, { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  for (const entry of due) {
    try {
      const digest = await deps.digests.claim(entry, now);
      if (!digest) {
        result.skipped += 1;
        continue;
      }
      const incident = await latestIncident(digest.lastIncidentId, deps);
      try {
        await publishDigest(digest, incident, deps);
      } catch (error) {
        await deps.digests.release(digest);
        throw error;
      }
      await deps.digests.sent(digest);
      result.sent.push(entry.problemKey);
    } catch (error) {
      // One digest's failure (a throttled publish) must not stop the others; a later run retries it.
      result.failed.push(entry.problemKey);
      await afterFailure({
        failures: entry.failures ?? 0,
        named: { retried: { problemKey: entry.problemKey }, givenUp: { problemKey: entry.problemKey, windowEnd: entry.dueAt } },
        retry: { message: 'digest failed; it is tried again later', move: (retryAt) => deps.digests.retry(entry, retryAt) },
        giveUp: { message: 'escalation digest given up: its send kept failing', counted: () => result.abandoned.push(entry.problemKey), drop: () => deps.digests.abandon(entry) },
      }, error, deps).catch((moveError: unknown) => {
        // Left where it is: the next run tries it, and moves it, again.
        deps.logger.warn('a failed digest could not be moved later; it waits for the next run', { problemKey: entry.problemKey, error: errorMessage(moveError) });
      });
    }
  }
  deps.metrics.count(RECONCILER_METRIC.digests, result.sent.length);
  deps.metrics.count(RECONCILER_METRIC.digestsAbandoned, result.abandoned.length);
  if (result.sent.length > 0 || result.failed.length > 0) deps.logger.info('escalation digests', { ...result });
  return result;
}
