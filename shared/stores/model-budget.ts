/**
 * A budget of model analyses per fixed window, kept in the incidents table so every concurrent execution (each its
 * own Lambda process) draws from the same counter.
 *
 * One item per window holds the set of incidents it counted, as the re-run ledger's items do ({@link claimCapped}).
 * Windows are those of the incident's creation, which a retry or re-drive does not move, so the incident finds its
 * own claim again.
 * The write limiter's counters cannot tell a redelivered incident from a new one, and their exhaustion is a
 * retryable error (wait and try again), where a spent model budget means "analyse without the model now".
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelBudget } from '../ports.js';
import { claimCapped } from './capped-claims.js';

/**
 * How long a window's item is kept after the window ends: longer than the reconciler looks back for unfinished
 * incidents (RECONCILE_LOOKBACK_HOURS, at most 14 days), so a re-driven incident still finds its claim.
 */
const CLAIMS_KEPT_SECONDS = 15 * 86_400;

/**
 * Key of one window's item; `name` is built by us (`outsiders`, `outsiders-repository#id-<repository id>`), from no
 * webhook text but a repository's numeric id (or, without one, its name as GitHub allows it: `[\w.-]/[\w.-]`).
 */
export function modelBudgetKey(name: string, windowSeconds: number, windowStartSeconds: number): { pk: string; sk: string } {
  return { pk: `MODELBUDGET#${name}#${windowSeconds}`, sk: String(windowStartSeconds) };
}

export function createDynamoModelBudget(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Which budget: `outsiders` for runs that may execute code an outsider controls, `outsiders-repository#…` for a repository's share. */
  name: string;
  /** Analyses per window; 0 grants none. */
  max: number;
  windowSeconds?: number;
}): ModelBudget {
  const windowSeconds = options.windowSeconds ?? 3600;
  return {
    async claim(incidentId, receivedAt, limit) {
      const receivedSeconds = Math.floor(receivedAt.getTime() / 1000);
      const startSeconds = receivedSeconds - (receivedSeconds % windowSeconds);
      const key = modelBudgetKey(options.name, windowSeconds, startSeconds);
      const { granted, count, first } = await claimCapped(options.client, options.tableName, key, {
        incidentId,
        max: Math.min(options.max, limit ?? options.max),
        expiresAt: startSeconds + windowSeconds + CLAIMS_KEPT_SECONDS,
      });
      return { granted, used: count, first, max: options.max, windowStart: new Date(startSeconds * 1000) };
    },
  };
}
