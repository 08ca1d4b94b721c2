/**
 * Digests of escalation windows that have ended: the repeats of a problem that were counted on its open escalation
 * and reached nobody reach on-call in one message when the window ends, through the same publisher as the
 * escalation (SNS topic and chat, the webhook; the outbox locally). The reconciler runs this on its schedule in
 * AWS and on its timer locally. Bounded per run; each digest is claimed with a conditional write before it is sent
 * (shared/stores/escalation-ledger.ts), so two runs never send the same one.
 */
import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { METRIC } from '../adapters/metric-names.js';
import { renderDigest } from '../notify/escalation.js';
import type { Clock, EscalationDigests, EscalationPublisher, Metrics } from '../ports.js';
import type { StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';

export interface DigestDeps {
  digests: EscalationDigests;
  incidents: Pick<IncidentStore, 'get'>;
  escalations: EscalationPublisher;
  clock: Clock;
  logger: StepLogger;
  metrics: Metrics;
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
  failed: string[];
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

export async function sendDueDigests(deps: DigestDeps, options: DigestOptions): Promise<DigestResult> {
  const now = deps.clock();
  const result: DigestResult = { sent: [], skipped: 0, failed: [] };
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
        await deps.escalations.publish(renderDigest(digest, incident));
      } catch (error) {
        await deps.digests.release(digest);
        throw error;
      }
      await deps.digests.sent(digest);
      result.sent.push(entry.problemKey);
    } catch (error) {
      // One digest's failure (a throttled publish) must not stop the others; the next run retries it.
      result.failed.push(entry.problemKey);
      deps.logger.warn('digest failed', { problemKey: entry.problemKey, error: errorMessage(error) });
    }
  }
  deps.metrics.count(METRIC.digests, result.sent.length);
  if (result.sent.length > 0 || result.failed.length > 0) deps.logger.info('escalation digests', { ...result });
  return result;
}
