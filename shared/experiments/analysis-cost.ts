import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '../domain/incident.js';
import { claimCounts, takeClaim } from '../stores/incident-claims.js';
import type { Clock } from '../ports.js';
import { addVariantCounters } from './counters.js';

/** What an analysis counts in its experiment: the analyze stage's whole use of the learning loop. */
export interface AnalysisCosts {
  /** The incident was analysed: its experiment arm is charged the analysis's tokens and cost, once. */
  onAnalyzed(incident: Incident): Promise<void>;
}

/**
 * {@link AnalysisCosts} over the incidents table (the claim) and the experiments table (the arm's counters). The
 * learning loop (shared/knowledge/learning.ts) counts through this too; analyze builds this alone, so its bundle
 * carries neither the knowledge base, the votes, the baselines nor the experiment store.
 */
export function createAnalysisCosts(options: { client: DynamoDBDocumentClient; tables: { incidents: string; experiments: string }; clock: Clock }): AnalysisCosts {
  const { client, tables, clock } = options;
  return {
    async onAnalyzed(incident) {
      const assignment = incident.experiment;
      const cost = incident.analysis?.cost;
      if (!assignment || !cost) return;
      const claim = await takeClaim(client, tables.incidents, incident.id, 'experimentCostAt', clock());
      if (!claim) return;
      const counts = claimCounts(client, tables.incidents, incident.id, 'experimentCostAt', claim, clock());
      if (!counts) return;
      await counts.count(() =>
        addVariantCounters(
          client,
          tables.experiments,
          { id: assignment.experimentId, variant: assignment.variant },
          {
            analyses: 1,
            inputTokens: cost.inputTokens,
            outputTokens: cost.outputTokens,
            // Whole micro-dollars keep the ADDs exact; a model without a price is counted apart, never as free.
            ...(cost.estimatedUsd === null ? { unpricedAnalyses: 1 } : { costMicroUsd: Math.round(cost.estimatedUsd * 1_000_000) }),
          },
          counts.mark('cost'),
        ),
      );
    },
  };
}
