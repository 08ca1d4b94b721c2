import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { jobEvidenceNames, recoveryByAppliedAction, resolvedBySameCommitRerun } from '../baselines/flaky.js';
import { type BaselineStore, createBaselineStore } from '../baselines/store.js';
import { outsiderCanRepeat, type ExperimentAssignment, type Incident, type KnowledgeSummary, type RemediationAction } from '../domain/incident.js';
import { githubIncidentId } from '../domain/trigger.js';
import { rerunUnderWay, runbookUnverified } from '../domain/handoff.js';
import { assignVariant, experimentApplies, incidentAssignmentKey } from '../experiments/assign.js';
import { outcomeWindowMinutes } from '../experiments/definition.js';
import { failureTimeOf } from '../domain/recovery.js';
import { type ExperimentStore, createExperimentStore } from '../experiments/store.js';
import { type AnalysisCosts, createAnalysisCosts } from '../experiments/analysis-cost.js';
import { storedParams } from '../experiments/params.js';
import type { Clock } from '../ports.js';
import type { StepLogger } from '../ports.js';
import type { ClaimName } from '../domain/incident.js';
import { ConfigError } from '../errors.js';
import { type ClaimCounts, claimCounts, takeClaim } from '../stores/incident-claims.js';
import { type FixVerdicts, createFixVerdicts } from './fix-verdict.js';
import { AUTOMATIC_ACTIONS, type Votes, createVotes } from './votes.js';
import type { LearnedDescription } from './store.js';
import type { KnowledgeEntry } from './entry.js';
import type { EntryLookup } from './lookup.js';
import { type KnowledgeStore, MAX_CANDIDATES, createKnowledgeStore } from './store.js';
import { knowledgeScopeOf, learnedKeyOf } from './scope.js';
import { createReactionReads } from '../stores/reaction-reads.js';


/**
 * The learning loop: knowledge lookup reads from it, and outcome events (recovery, a failed re-run, human feedback)
 * write to it. Each outcome is claimed on the incident item, then applied with `ADD` to the knowledge entry, the
 * experiment variant and the repository metrics, each write carrying the outcome's mark (shared/stores/count-marks.ts)
 * — no transactions, no read-modify-write. A delivery that finds the claim taken applies the outcome again: the
 * counts an earlier delivery made before it died are refused by their marks, the rest made, so each counts once.
 */
export interface Learning extends Votes, AnalysisCosts {
  knowledge: KnowledgeStore;
  experiments: ExperimentStore;
  baselines: BaselineStore;
  /**
   * Adds knowledge-base entries, an experiment assignment and a recommendation to the history summary. Counts
   * nothing: the caller takes the incident's {@link SEEN_CLAIM} (with the write that stores the result) and then
   * calls {@link countSeen}.
   */
  lookup(incident: Incident, history: KnowledgeSummary): Promise<{ knowledge: KnowledgeSummary; experiment: ExperimentAssignment | null }>;
  /**
   * Counts the incident as seen: its knowledge-base entry and its repository's metrics. Once: after SEEN_CLAIM was
   * taken at `claimedAt` (by this delivery or an earlier one: counted again, each count is kept once by its mark).
   */
  countSeen(incident: Incident, claimedAt: Date): Promise<void>;
  /** The incident recovered (next green run, re-run passed, alarm OK). Once, however often it is called. */
  onResolved(incident: Incident): Promise<void>;
  /**
   * The incident's automatic re-run failed again (the next attempt of the same run failed): counted once, however
   * often it is called; true when this call claimed it.
   */
  onRemediationFailed(incident: Incident): Promise<boolean>;
}

/** The once-only marker of {@link Learning.countSeen}, taken on the incident by the knowledge stage's write. */
export const SEEN_CLAIM: ClaimName = 'kbSeenAt';

export interface LearningOptions {
  client: DynamoDBDocumentClient;
  tables: { incidents: string; experiments: string; baselines: string };
  clock: Clock;
  logger: StepLogger;
  /**
   * How entries are matched and screened (`ENTRY_LOOKUP` in lookup.ts), for {@link Learning.lookup}. Only the
   * knowledge stage looks entries up; the others leave it out, and their bundles then carry no matcher, curated
   * entries or injection detector.
   */
  entryLookup?: EntryLookup;
  /** INCIDENT_TTL_DAYS: what the learning loop stores beside an incident goes with it. */
  ttlDays: number;
  /** KNOWLEDGE_RETENTION_DAYS: how long a learned entry is kept after it last was seen or learned something. */
  learnedRetentionDays: number;
}

/**
 * What an incident teaches the knowledge base. Its fix is taught through the entry's fix record (see
 * fix-verdict.ts), and only when the analysis found no text aimed at automated tools (an injected log steers the
 * model's fix; the comment withheld it, and the knowledge base must not show it on someone else's pull request).
 */
function description(incident: Incident, action: RemediationAction | undefined): LearnedDescription {
  return {
    template: incident.template ?? incident.failureLines.map((l) => l.text).join('\n'),
    category: incident.category ?? 'unknown',
    title: (incident.failureLines[0]?.text ?? incident.workflowName ?? incident.alarm?.name ?? 'failure').trim(),
    ...(action ? { action } : {}),
    source: 'learned',
  };
}

/** When the incident recovered: its resolution time, else the time it is recorded. */
function recoveredAt(incident: Incident, fallback: Date): Date {
  const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.NaN;
  return Number.isNaN(resolved) ? fallback : new Date(resolved);
}

/** The action a recovery is credited to: the one applied, if it brought the recovery about, else "a manual fix" (comment only). */
function creditedAction(incident: Incident): RemediationAction {
  return incident.decision && recoveryByAppliedAction(incident) ? incident.decision.action : 'comment_only';
}

/**
 * The action an outcome counts for on the knowledge entry: none for an incident in an experiment. Its arm was drawn
 * at random, and the arms are compared by the experiment's stopping rule; counted as the actions' record, the arm
 * that happened to have more units (n of n beats 5 of 5) became the entry's recommendation once the experiment
 * stopped without a winner, in place of what incidents got before it.
 */
function outsideExperiment(incident: Incident, action: RemediationAction): RemediationAction | null {
  return incident.experiment ? null : action;
}

/** The outcome claims on incidents (shared/stores/incident-claims.ts) and the marks of their counts. */
function outcomeClaims(client: DynamoDBDocumentClient, incidentsTable: string, clock: Clock) {
  /**
   * Takes the event's claim on the incident, and the marks of its counts (one per counter item: `step`), named by
   * when it was taken; null when the incident is gone, or its claim is too old to apply again (its marks may be gone:
   * see MARK_WINDOW_HOURS).
   */
  async function claimMarks(incidentId: string, name: ClaimName): Promise<ClaimCounts | null> {
    const claim = await takeClaim(client, incidentsTable, incidentId, name, clock());
    if (!claim) return null;
    return markedFrom(incidentId, name, claim.at, claim.first);
  }
  function markedFrom(incidentId: string, name: ClaimName, claimedAt: Date, first: boolean): ClaimCounts | null {
    return claimCounts(client, incidentsTable, incidentId, name, { at: claimedAt, first }, clock());
  }
  return { claimMarks, markedFrom };
}

/** A recovery's outcome, counted once per incident: what the outcome recorder and the reconciler's backstop count. */
export interface RecoveryOutcomes {
  /** The incident recovered (next green run, re-run passed, alarm OK). Once, however often it is called. */
  onResolved(incident: Incident): Promise<void>;
}

/**
 * {@link Learning.onResolved} alone, over the stores it counts in: for the reconciler, whose bundle then carries no
 * lookup, experiment assignment or analysis costs.
 */
export function createRecoveryOutcomes(options: {
  client: DynamoDBDocumentClient;
  tables: { incidents: string };
  clock: Clock;
  knowledge: Pick<KnowledgeStore, 'recordOutcome'>;
  verdicts: FixVerdicts;
  experiments: ExperimentStore;
  baselines: BaselineStore;
}): RecoveryOutcomes {
  const { client, tables, clock, knowledge, verdicts, experiments, baselines } = options;
  const { claimMarks } = outcomeClaims(client, tables.incidents, clock);
  return {
    async onResolved(incident) {
      const claim = await claimMarks(incident.id, 'outcomeAt');
      if (!claim) return;
      const { mark } = claim;
      await claim.count(async () => {
        const action = creditedAction(incident);
        const at = clock();
        const entryAction = outsideExperiment(incident, action);
        // A runbook that reported success while its alarm kept firing past the reconciler's check did not fix it: the
        // recovery came later, by other hands, and the entry counts the runbook as not having worked for this alarm.
        const worked = runbookUnverified(incident) === null;
        const learned = learnedKeyOf(incident);
        if (learned && !outsiderCanRepeat(incident)) {
          await knowledge.recordOutcome(learned, description(incident, entryAction ?? undefined), entryAction, worked, at, mark('entry'));
        }
        await verdicts.ranTo(incident, worked ? 'success' : 'failure', at, mark('fix'));
        const ttr = incident.timeToRecoverySeconds ?? 0;
        if (incident.repository) {
          const automatic = action === 'rerun_failed_jobs';
          await baselines.addMetrics(
            incident.repository,
            {
              resolved: 1,
              ttrSecondsTotal: ttr,
              ...(automatic ? { autoFixAttempts: 1, autoFixSuccesses: 1 } : {}),
              ...(incident.decision?.applied && AUTOMATIC_ACTIONS.has(incident.decision.action) ? { actionsTaken: 1 } : {}),
            },
            mark('metrics'),
          );
        }
        if (incident.repository && incident.headSha && !outsiderCanRepeat(incident) && resolvedBySameCommitRerun(incident)) {
          // Failed, then passed on the same commit: flaky evidence for each job that failed.
          await baselines.recordTestResults(incident.repository, incident.headSha, jobEvidenceNames(incident).map((test) => ({ test, passed: true })), at, mark('tests'));
        }
        const assignment = incident.experiment;
        if (assignment) {
          const experiment = await experiments.get(assignment.experimentId);
          // Time to recovery per arm, whatever the metric: "recovered, but slower" is part of the result. Once per
          // unit, from its first failure: a commit whose re-run failed again recovers once, not once per attempt.
          const recovered = recoveredAt(incident, at);
          const unit = await experiments.claimUnitRecovery(assignment.experimentId, assignment.key, recovered, mark('unit').id);
          if (unit !== 'already') {
            const firstFailure = unit === 'no_unit' || !experiment ? null : Date.parse(unit.deadline) - outcomeWindowMinutes(experiment.metric) * 60_000;
            const seconds = firstFailure === null || Number.isNaN(firstFailure) ? ttr : (recovered.getTime() - firstFailure) / 1000;
            await experiments.addCounters(assignment.experimentId, assignment.variant, { recoveries: 1, ttrSecondsTotal: Math.max(0, Math.round(seconds)) }, mark('recovery'));
          }
          // A success by the unit's deadline (its first failure + the window), once per unit however many of its
          // incidents recover; a later recovery leaves the unit as it is, a failure once its deadline passes.
          if (experiment?.metric.kind === 'recovered_within') {
            const counted = await experiments.recordUnitSuccess(assignment.experimentId, assignment.key, recovered, mark('success'));
            // Assigned before units were kept: counted as it was then, once per incident (the outcome's mark).
            if (counted === 'no_unit' && ttr <= experiment.metric.minutes * 60) await experiments.addCounters(assignment.experimentId, assignment.variant, { successes: 1 }, mark('success'));
          }
        }
      });
    }
  };
}

export function createLearning(options: LearningOptions): Learning {
  const { client, tables, clock, logger, entryLookup } = options;
  const knowledge = createKnowledgeStore({ client, tableName: tables.incidents, learnedRetentionDays: options.learnedRetentionDays, clock });
  const experiments = createExperimentStore({ client, tableName: tables.experiments });
  const baselines = createBaselineStore({ client, tableName: tables.baselines });
  const { claimMarks, markedFrom } = outcomeClaims(client, tables.incidents, clock);
  const verdicts = createFixVerdicts({ client, tableName: tables.incidents, knowledge });
  const outcomes = createRecoveryOutcomes({ client, tables, clock, knowledge, verdicts, experiments, baselines });
  const reactionReads = createReactionReads({ client, tableName: tables.incidents });

  /**
   * The incident's experiment arm, if it joins one; `mayHavePolicies` (see AssignableExperiments): false when the
   * definitions read say no promoted policy is stored.
   */
  async function assignExperiment(incident: Incident): Promise<{ assignment: ExperimentAssignment | null; mayHavePolicies: boolean }> {
    if (incident.experiment) return { assignment: incident.experiment, mayHavePolicies: true };
    const assignable = await experiments.assignable();
    const running = assignable.experiments.filter((e) => experimentApplies(e, incident.category, incident.fingerprint));
    // Oldest first: an incident joins at most one experiment, so overlapping experiments do not contaminate each other.
    const experiment = running.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (!experiment) return { assignment: null, mayHavePolicies: assignable.mayHavePolicies };
    const key = incidentAssignmentKey(incident);
    // The unit is the key: every attempt of a failing commit is one sample, with the variant and the deadline its
    // first failure gave it (each attempt counted apart made a variant that needs more attempts look worse).
    const failedAt = failureTimeOf(incident);
    const deadline = new Date((Number.isNaN(failedAt) ? clock().getTime() : failedAt) + outcomeWindowMinutes(experiment.metric) * 60_000);
    const unit = await experiments.claimUnit(experiment.id, key, assignVariant(experiment, key).name, deadline, clock());
    // A writer's 👍 counts for the unit by its deadline however late it is read, and the guard reads reactions only
    // when it touches its comment: the reconciler reads this incident's once more when the unit is final.
    if (experiment.metric.kind === 'positive_feedback' && incident.source === 'github' && incident.pullRequest) {
      await reactionReads.schedule({ incidentId: incident.id, dueAt: unit.deadline });
    }
    const variant = experiment.variants.find((v) => v.name === unit.variant) ?? assignVariant(experiment, key);
    const assignment: ExperimentAssignment = {
      experimentId: experiment.id,
      variant: variant.name,
      action: variant.action,
      params: storedParams(variant.params),
      key,
      assignedAt: clock().toISOString(),
    };
    return { assignment, mayHavePolicies: assignable.mayHavePolicies };
  }

  return {
    ...createVotes({ client, tables, clock, logger, knowledge, verdicts, experiments, baselines, ttlDays: options.ttlDays }),
    ...createAnalysisCosts({ client, tables, clock }),
    knowledge,
    experiments,
    baselines,

    async lookup(incident, history) {
      const category = incident.category ?? 'unknown';
      // Bounded reads: one Query page (≤ 50 candidates) of what the incident's own repository (or the alarms) learned
      // and one of the shared (imported) entries, a GetItem of each exact entry only when its page may not hold it,
      // one Query of experiment definitions, one BatchGet of promoted policies (none when the definitions say none is promoted) — whatever the size of the knowledge
      // base. Never another repository's learned entries (see scope.ts). A recurring failure's entry was seen last
      // and heads its category's page: the usual case.
      const scope = knowledgeScopeOf(incident);
      const [own, shared] = await Promise.all([
        scope ? knowledge.listByCategory(category, MAX_CANDIDATES, scope) : Promise.resolve([]),
        knowledge.listWithOldLearned(category, MAX_CANDIDATES, null),
      ]);
      // Learned entries of the old layout (every repository's in one) met on the shared page leave it, a page at a time
      // (one an import counted rows on waits for `guard kb migrate`, which forgets the rows first: a Query each until then).
      if (shared.oldLearned.length > 0) await knowledge.retireOldLearned(shared.oldLearned, clock());
      const fingerprint = incident.fingerprint;
      const exactOf = async (page: readonly KnowledgeEntry[], entryScope: string | null) =>
        fingerprint ? (page.find((entry) => entry.fingerprint === fingerprint) ?? (await knowledge.get(fingerprint, entryScope))) : null;
      const exactOwn = scope ? await exactOf(own, scope) : null;
      // The shared page holds the category's every imported entry unless it is full: then one may be past it. (One of
      // this fingerprint imported under another category than the incident's is then not read: imports are rare and
      // categorised by the same rules, and a GetItem on every lookup for it would be a read of nothing nearly always.)
      const exactShared = shared.whole ? (shared.entries.find((entry) => entry.fingerprint === fingerprint) ?? null) : await exactOf(shared.entries, null);
      if (!entryLookup) throw new ConfigError('this learning loop was built without entry lookup: only the knowledge stage looks entries up');
      const { matchEntries, recommend, withEntries, curatedForCategory } = entryLookup;
      const candidates = [...own, ...shared.entries, ...(exactShared && !shared.entries.includes(exactShared) ? [exactShared] : []), ...curatedForCategory(incident.category)];
      const exact = exactOwn ?? exactShared;
      const entries = matchEntries(incident, exact, candidates);
      // A fork's incidents join no experiment, nor do runs any outsider can cause again and again (a workflow on
      // `issues`): their failures and recoveries are theirs to arrange, and an arm's results decide the policy
      // promoted for everyone's failures.
      const { assignment: experiment, mayHavePolicies } = outsiderCanRepeat(incident) ? { assignment: null, mayHavePolicies: true } : await assignExperiment(incident);
      // The definitions just read may say that no policy is promoted: then none is read.
      const policy = experiment || !mayHavePolicies ? null : await experiments.policyFor(incident.category, incident.fingerprint);
      const recommendation = recommend(entries, experiment, policy);

      return { knowledge: withEntries(history, entries, exact, recommendation), experiment };
    },

    async countSeen(incident, claimedAt) {
      const claim = markedFrom(incident.id, SEEN_CLAIM, claimedAt, false);
      if (!claim) return;
      await claim.count(async () => {
        // A fork's failures teach nothing, nor do runs any outsider can cause again and again (see outsiderCanRepeat):
        // their author chooses their text and fingerprint, and when they fail and pass.
        const learned = learnedKeyOf(incident);
        if (learned && !outsiderCanRepeat(incident)) await knowledge.recordSeen(learned, description(incident, undefined), clock(), claim.mark('entry'));
        if (incident.repository) await baselines.addMetrics(incident.repository, { incidents: 1, ...(incident.flaky ? { flaky: 1 } : {}) }, claim.mark('metrics'));
      });
    },

    onResolved: outcomes.onResolved,

    async onRemediationFailed(incident) {
      // Only a re-run the guard started has an outcome: one it found a person had started is not its fix.
      if (!rerunUnderWay(incident.decision)) return false;
      const claim = await claimMarks(incident.id, 'outcomeAt');
      if (!claim) return false;
      const { mark } = claim;
      await claim.count(async () => {
        // The re-run did not fix it: a failure of the action (outside an experiment) and of the fix the analysis proposed.
        const entryAction = outsideExperiment(incident, 'rerun_failed_jobs');
        const learned = learnedKeyOf(incident);
        if (learned && !outsiderCanRepeat(incident)) {
          await knowledge.recordOutcome(learned, description(incident, entryAction ?? undefined), entryAction, false, clock(), mark('entry'));
        }
        await verdicts.ranTo(incident, 'failure', clock(), mark('fix'));
        if (incident.repository) await baselines.addMetrics(incident.repository, { autoFixAttempts: 1, actionsTaken: 1 }, mark('metrics'));
      });
      return claim.first;
    },

  };
}

/** The incident of the attempt before this one (`gh-<repo>-<run>-<attempt − 1>`), for re-run outcomes. */
export function previousAttemptId(incident: Pick<Incident, 'source' | 'repositoryId' | 'runId' | 'runAttempt'>): string | null {
  if (incident.source !== 'github' || !incident.repositoryId || !incident.runId || !incident.runAttempt || incident.runAttempt < 2) return null;
  return githubIncidentId(incident.repositoryId, incident.runId, incident.runAttempt - 1);
}
