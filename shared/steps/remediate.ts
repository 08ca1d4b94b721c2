import type { Decision, Incident } from '../domain/incident.js';
import { githubIncidentId } from '../domain/trigger.js';
import { NotFoundError, errorMessage } from '../errors.js';
import { type PolicyDecision, decideRemediation } from '../policy/decide.js';
import type { GitHubPort, RerunKey } from '../ports.js';
import type { StepDeps } from './deps.js';
import { runFallbackAnalysis } from './analyze.js';
import { type PipelineState, type RemediateResult, describeCaught, parseState } from './state.js';

/** The (workflow, head SHA) automatic re-runs are counted for; null when the incident is not an Actions run. */
export function rerunKeyOf(incident: Incident): RerunKey | null {
  if (incident.checkRun || !incident.repositoryId || !incident.workflowId || !incident.headSha || !incident.runId) return null;
  return { repositoryId: incident.repositoryId, workflowId: incident.workflowId, headSha: incident.headSha };
}

/**
 * Whether this failed attempt was started by our own automatic re-run: the ledger recorded the attempt our re-run
 * created, or GitHub names our bot as the attempt's triggering actor (covers re-runs the ledger never saw, e.g.
 * from before it existed). An unknown bot login is not a reason to fail the step.
 */
async function startedByUs(
  state: PipelineState,
  incident: Incident,
  ledgerSaysOurs: boolean,
  github: GitHubPort | null,
  deps: StepDeps,
): Promise<boolean> {
  if (ledgerSaysOurs) return true;
  const actor = state.trigger.source === 'github' ? state.trigger.triggeringActor : null;
  if (!actor || !github || (incident.runAttempt ?? 1) <= 1) return false;
  try {
    return (await github.botLogin()).toLowerCase() === actor.toLowerCase();
  } catch (error) {
    deps.logger.warn('could not determine the bot login; relying on the re-run ledger', { error: errorMessage(error) });
    return false;
  }
}

/** Notes on the attempt our re-run retried that the re-run failed too, so its record tells the whole story. */
async function noteFailedRerun(incident: Incident, deps: StepDeps): Promise<void> {
  if (!incident.repositoryId || !incident.runId || !incident.runAttempt || incident.runAttempt <= 1) return;
  const previousId = githubIncidentId(incident.repositoryId, incident.runId, incident.runAttempt - 1);
  const previous = await deps.incidents.get(previousId);
  // A retried step must not repeat the note.
  if (!previous || previous.history.some((entry) => entry.event === 'rerun_failed' && entry.detail?.includes(incident.id))) return;
  await deps.incidents.update(previousId, {}, {
    history: [{ at: deps.clock().toISOString(), event: 'rerun_failed', detail: `the automatic re-run failed again (incident ${incident.id})` }],
  });
}

/**
 * Remediate stage: applies the policy to the analysis, executes the allowed action and records the decision.
 * When the analyze stage failed (its Catch leads here) the offline analysis stands in, so the incident still
 * gets a root cause and a decision.
 */
export async function remediateStep(input: unknown, deps: StepDeps): Promise<RemediateResult> {
  const state = parseState(input);
  let incident: Incident | null = await deps.incidents.get(state.trigger.incidentId);
  if (!incident) throw new NotFoundError(`incident ${state.trigger.incidentId} not found`);
  const now = () => deps.clock().toISOString();

  const analyzeFailure = describeCaught(state.analyzeError);
  if (!incident.analysis || analyzeFailure) {
    const analysis = await runFallbackAnalysis(incident, deps, analyzeFailure ?? 'no analysis stored');
    incident = await deps.incidents.update(incident.id, { analysis }, {
      stageErrors: analyzeFailure ? [{ stage: 'analyze', error: analyzeFailure, at: now() }] : [],
      history: [{ at: now(), event: 'analyzed', detail: 'offline analysis used after the analyze stage failed' }],
    });
  }
  const analysis = incident.analysis!;
  const github = deps.github.forInstallation(incident.installationId);
  const rerunKey = rerunKeyOf(incident);
  // The ledger and the bot login only matter when a re-run is on the table; other incidents skip the lookups.
  const wantsRerun = analysis.proposedAction === 'rerun_failed_jobs' && rerunKey !== null && incident.runId !== null;
  const ledger =
    wantsRerun && rerunKey
      ? await deps.reruns.lookup(rerunKey, { runId: incident.runId as number, attempt: incident.runAttempt ?? 1, incidentId: incident.id })
      : { count: 0, ownAttempt: false, claimedByIncident: false };
  const ownRerun = wantsRerun && (await startedByUs(state, incident, ledger.ownAttempt, github, deps));
  if (ownRerun) await noteFailedRerun(incident, deps);

  const policy = {
    autoRerunMax: deps.config.AUTO_RERUN_MAX,
    rerunMinConfidence: deps.config.RERUN_MIN_CONFIDENCE,
    dryRun: deps.config.DRY_RUN,
  };
  const planned = decideRemediation(
    {
      source: incident.source,
      category: incident.category,
      analysis,
      runAttempt: incident.runAttempt,
      failureLineCount: incident.failureLines.length,
      stageErrors: incident.stageErrors.filter((e) => e.stage === 'classify').map((e) => e.error),
      githubAvailable: github !== null,
      rerunSupported: rerunKey !== null,
      ownRerun,
      // A retry of this step after its claim was written must not see its own claim as someone else's re-run.
      automaticRerunsForCommit: ledger.count - (ledger.claimedByIncident ? 1 : 0),
    },
    policy,
  );

  let applied = false;
  let result: string | null = null;
  if (!planned.execute) {
    result = 'dry run: nothing applied';
  } else if (planned.action === 'rerun_failed_jobs' && incident.repository && incident.runId && github && rerunKey) {
    const [owner, repo] = incident.repository.split('/') as [string, string];
    const attempt = incident.runAttempt ?? 1;
    // The conditional claim is the authority: the policy read the ledger, but a concurrent execution for the same
    // commit may have taken the last slot since. The same incident (a retry of this step) is granted again.
    const claim = await deps.reruns.claim(rerunKey, {
      incidentId: incident.id,
      runId: incident.runId,
      nextAttempt: attempt + 1,
      max: policy.autoRerunMax,
    });
    if (!claim.granted) {
      const escalation: PolicyDecision = {
        action: 'escalate',
        reason: `another execution already used the automatic re-run for this commit (${claim.count} of ${policy.autoRerunMax}): needs a human`,
        execute: true,
      };
      await recordDecision(incident, escalation, true, 'escalation is published by the notify stage', deps);
      return { incidentId: incident.id, action: escalation.action, applied: true };
    }
    try {
      const outcome = await github.rerunFailedJobs({ owner, repo }, incident.runId, { expectedAttempt: attempt });
      applied = true;
      result =
        outcome === 'requested'
          ? `re-run of run ${incident.runId} requested (automatic re-run ${claim.count} of ${policy.autoRerunMax} for this commit)`
          : `run ${incident.runId} was already re-run past attempt ${attempt}; no second re-run requested`;
    } catch (error) {
      result = `re-run failed: ${errorMessage(error)}`.slice(0, 300);
      throw error;
    } finally {
      await recordDecision(incident, planned, applied, result, deps);
    }
    return { incidentId: incident.id, action: planned.action, applied };
  } else {
    applied = true;
    result = planned.action === 'escalate' ? 'escalation is published by the notify stage' : 'explained in the notification';
  }
  await recordDecision(incident, planned, applied, result, deps);
  return { incidentId: incident.id, action: planned.action, applied };
}

async function recordDecision(
  incident: Incident,
  planned: { action: Decision['action']; reason: string; execute: boolean },
  applied: boolean,
  result: string | null,
  deps: StepDeps,
): Promise<void> {
  const at = deps.clock().toISOString();
  const decision: Decision = {
    action: planned.action,
    reason: planned.reason,
    applied,
    result,
    dryRun: !planned.execute,
    decidedAt: at,
  };
  await deps.incidents.update(
    incident.id,
    incident.status === 'resolved' ? { decision } : { decision, status: 'remediated' },
    { history: [{ at, event: `decision:${planned.action}`, detail: `${planned.reason}${result ? ` — ${result}` : ''}` }] },
  );
}
