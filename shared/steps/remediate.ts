import type { Decision, Incident } from '../domain/incident.js';
import { NotFoundError, errorMessage } from '../errors.js';
import { decideRemediation } from '../policy/decide.js';
import type { StepDeps } from './deps.js';
import { runFallbackAnalysis } from './analyze.js';
import { type RemediateResult, describeCaught, parseState } from './state.js';

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
      githubAvailable: deps.github !== null,
    },
    policy,
  );

  let applied = false;
  let result: string | null = null;
  if (!planned.execute) {
    result = 'dry run: nothing applied';
  } else if (planned.action === 'rerun_failed_jobs' && incident.repository && incident.runId && deps.github) {
    const [owner, repo] = incident.repository.split('/') as [string, string];
    try {
      await deps.github.rerunFailedJobs({ owner, repo }, incident.runId);
      applied = true;
      result = `re-run of run ${incident.runId} requested`;
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
