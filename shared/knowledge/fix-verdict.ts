import { conditionalWrite } from '../stores/dynamo.js';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countsAsEvidence, type Incident, outsiderCanRepeat } from '../domain/incident.js';
import type { CountMark } from '../stores/count-marks.js';
import { incidentKey } from '../stores/incident-store.js';
import type { FixOutcome } from './fix-record.js';
import type { KnowledgeStore } from './store.js';
import { learnedKeyOf } from './scope.js';

/** An incident's vote counters (`feedbackUp`, `feedbackDown`). */
export interface VoteCounts {
  up: number;
  down: number;
}

/**
 * The outcome an incident counts on its entry's fix record for the fix its comment proposed: one per incident. The
 * writers' word when they voted, as for the false-positive metric (a failure while one's vote is down, else a
 * success while one's is up), else what its run showed (it recovered, or the guard's re-run failed again), unless
 * an outsider can cause the run again and again (`outsiderCanRepeat`). A vote
 * overrules the run (a re-run that passed may hide a real race, and a writer says so), and once every vote is
 * taken back the run's word counts again; each change moves the incident's one outcome on the record, so a vote and
 * the run never both count. Kept on the incident item: `fixOutcome` (what is counted now) and `runFixOutcome`.
 */
export interface FixVerdicts {
  /**
   * The incident's run recovered (`success`) or the guard's re-run failed again (`failure`). Once per incident; with
   * `mark` (the outcome's, see shared/stores/count-marks.ts), applied again it moves the record once in all.
   */
  ranTo(incident: Incident, outcome: FixOutcome, at: Date, mark?: CountMark): Promise<void>;
  /**
   * The writers' votes on the incident went from `before` to `after`, at `at`, by the vote change `changeId`: kept with
   * the outcome (`fixOutcomeBy`, and the one it replaced, `fixOutcomeWas`), so the same change applied again after a
   * crash between the outcome's write and the record's moves the record instead of finding nothing to move; with
   * `mark` (the change's, see shared/stores/count-marks.ts), the record once in all.
   */
  voted(incident: Incident, before: VoteCounts, after: VoteCounts, at: Date, changeId: string, mark?: CountMark): Promise<void>;
}

/** The fix an incident proposed: the analysis's, unless the analysis found text aimed at automated tools in the log. */
export function proposedFix(incident: Pick<Incident, 'analysis'>): string[] {
  return incident.analysis && !incident.analysis.injection ? incident.analysis.fix : [];
}

/** What the writers' votes say of the fix: a failure while one is down, else a success while one is up. */
export function votedFixOutcome({ up, down }: VoteCounts): FixOutcome | null {
  return down > 0 ? 'failure' : up > 0 ? 'success' : null;
}

const asOutcome = (value: unknown): FixOutcome | null => (value === 'success' || value === 'failure' ? value : null);

export function createFixVerdicts(options: { client: DynamoDBDocumentClient; tableName: string; knowledge: Pick<KnowledgeStore, 'moveFixOutcome'> }): FixVerdicts {
  const { client, tableName, knowledge } = options;

  /** Writes the incident's outcomes (`expression`, on `:o`) unless `condition` fails: what they were, else null. */
  function writeOutcomes(incident: Incident, expression: string, values: Record<string, unknown>, condition = '') {
    return conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: incidentKey(incident.id),
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(pk)${condition}`,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_OLD',
        }),
      ),
    );
  }

  /**
   * Writes the incident's outcomes as {@link writeOutcomes} does, and moves the one counted on the record from what it
   * was to `to` (`run`: what the write read as `runFixOutcome`). False when the condition failed. With a vote change
   * (`changeId`), the write keeps it and the outcome it replaced, and is made once: applied again, the change reads
   * what it wrote and moves the record by it again.
   */
  async function count(incident: Incident, expression: string, values: Record<string, unknown>, to: FixOutcome | 'run', at: Date, condition = '', changeId?: string, mark?: CountMark) {
    // A fork's failures teach nothing (see countsAsEvidence), nor does an incident without an entry or a proposal.
    // Nor does an incident with no scope to learn in (see scope.ts).
    const learned = learnedKeyOf(incident);
    if (!learned || !countsAsEvidence(incident) || proposedFix(incident).length === 0) return true;
    const byChange = changeId
      ? { expression: `${expression}, fixOutcomeWas = if_not_exists(fixOutcome, :none), fixOutcomeBy = :change`, condition: `${condition} AND (attribute_not_exists(fixOutcomeBy) OR fixOutcomeBy <> :change)`, values: { ...values, ':none': 'none', ':change': changeId } }
      : { expression, condition, values };
    const response = await writeOutcomes(incident, byChange.expression, byChange.values, byChange.condition);
    let outcomes: { from: FixOutcome | null; next: FixOutcome | null };
    if (response) {
      const old: Record<string, unknown> = response.Attributes ?? {};
      outcomes = { from: asOutcome(old.fixOutcome), next: to === 'run' ? asOutcome(old.runFixOutcome) : to };
    } else {
      const written = changeId ? (await client.send(new GetCommand({ TableName: tableName, Key: incidentKey(incident.id), ConsistentRead: true }))).Item : undefined;
      if (!written || written.fixOutcomeBy !== changeId) return false;
      outcomes = { from: asOutcome(written.fixOutcomeWas), next: asOutcome(written.fixOutcome) };
    }
    if (outcomes.from !== outcomes.next) await knowledge.moveFixOutcome(learned, proposedFix(incident), outcomes.from, outcomes.next, at, mark);
    return true;
  }

  return {
    async ranTo(incident, outcome, at, mark) {
      // A run any outsider can cause again and again (a workflow on `issues`) fails and passes as they arrange it, its
      // log quoting what they wrote: its run's word would let them plant, promote or retire a fix. A writer's vote on
      // it still counts.
      if (outsiderCanRepeat(incident)) return;
      // Counted while no writer's vote stands; kept either way, for when the votes are taken back.
      const noVotes = ' AND (attribute_not_exists(feedbackUp) OR feedbackUp <= :z) AND (attribute_not_exists(feedbackDown) OR feedbackDown <= :z)';
      // The outcome is the run's now, no vote change's (see `voted`): with a mark, the outcome's own change, so that
      // applied again after a crash before the record moved it moves the record (once: the record keeps the mark).
      const counted = mark
        ? await count(incident, 'SET runFixOutcome = :o, fixOutcome = :o', { ':o': outcome, ':z': 0 }, outcome, at, noVotes, mark.id, mark)
        : await count(incident, 'SET runFixOutcome = :o, fixOutcome = :o REMOVE fixOutcomeBy', { ':o': outcome, ':z': 0 }, outcome, at, noVotes);
      if (!counted) {
        await writeOutcomes(incident, 'SET runFixOutcome = :o', { ':o': outcome });
      }
    },

    async voted(incident, before, after, at, changeId, mark) {
      const verdict = votedFixOutcome(after);
      if (votedFixOutcome(before) === verdict) return;
      // Without a vote the run's word counts: read and set in one write, so that one recorded meanwhile is not missed.
      if (verdict) await count(incident, 'SET fixOutcome = :o', { ':o': verdict }, verdict, at, '', changeId, mark);
      else await count(incident, 'SET fixOutcome = if_not_exists(runFixOutcome, :o), runFixOutcome = if_not_exists(runFixOutcome, :o)', { ':o': 'none' }, 'run', at, '', changeId, mark);
    },
  };
}
