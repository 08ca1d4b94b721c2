import { METRIC } from '../adapters/metric-names.js';
import { MODEL_REQUESTS_PER_INCIDENT, ModelRequestsSpentError, analyzeWithFallback, withFallback } from '../analysis/index.js';
import { analysisInputFor, summaryOf } from '../analysis/incident-analysis.js';
import { drawsOnOutsiderModelBudget, outsiderBudgetSpentReason, outsiderReserveReason, outsiderShareScope, outsiderShareSpentReason } from '../analysis/outsider-budget.js';
import type { AnalysisSummary, Incident } from '../domain/incident.js';
import { NotFoundError } from '../errors.js';
import type { AnalyzerOverrides } from '../analysis/providers.js';
import { ANALYSIS_PARAMS } from '../experiments/params.js';
import { variantParamsOf } from '../remediation/variant.js';
import type { Analyzer, ModelBudgetClaim } from '../ports.js';
import type { AnalyzeDeps } from './deps.js';
import { type AnalyzeResult, parseState } from './state.js';

/**
 * The analyzer for an incident's experiment arm: the configured provider with the arm's model, prompt template
 * and input budget. A model outside the configured one and LLM_EXPERIMENT_MODELS is not called (in AWS the
 * function may not invoke it); what was not applied is said in `notes`, which end up in the analysis's adjustments.
 */
export function armAnalyzer(incident: Incident, deps: AnalyzeDeps): { analyzer: Analyzer; notes: string[] } {
  const params = variantParamsOf(incident);
  const overrides: AnalyzerOverrides = {};
  const notes: string[] = [];
  if (params.model !== undefined) {
    const configured = deps.config.BEDROCK_MODEL_ID ?? deps.config.LLM_MODEL;
    if (params.model === configured || deps.config.LLM_EXPERIMENT_MODELS.includes(params.model)) overrides.model = params.model;
    else notes.push(`variant model ${params.model} not used: it is not listed in LLM_EXPERIMENT_MODELS`);
  }
  if (params.promptVersion !== undefined) overrides.promptVersion = params.promptVersion;
  if (params.inputTokenBudget !== undefined) overrides.inputTokenBudget = params.inputTokenBudget;
  if (Object.keys(overrides).length === 0) return { analyzer: deps.analyzer, notes };
  const analyzer = deps.analyzerFor?.(overrides) ?? null;
  if (!analyzer) {
    const asked = ANALYSIS_PARAMS.filter((key) => params[key] !== undefined).join(', ');
    return { analyzer: deps.analyzer, notes: [...notes, `variant ${asked} not applied: the ${deps.analyzer.provider} analyzer takes no model settings`] };
  }
  return { analyzer, notes };
}

/**
 * Why no model may analyse this incident, or null when one may: a failure an outsider controls whose repository's
 * share (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR) or whose pool (LLM_OUTSIDER_ANALYSES_PER_HOUR) is spent. The
 * share is claimed first: a repository past its share takes nothing from the pool, and one past its first failure
 * in the hour leaves the pool's last quarter to the others (`outsiderRepeatLimit`). The offline analyzer is free
 * and takes nothing from either. Claims are made in the window of the incident's creation, so a retried or
 * re-driven analysis finds its own claims again.
 */
async function outsiderBudgetRefusal(incident: Incident, analyzer: Analyzer, deps: AnalyzeDeps): Promise<string | null> {
  if (analyzer === deps.fallbackAnalyzer || !drawsOnOutsiderModelBudget(incident)) return null;
  const createdMs = Date.parse(incident.createdAt);
  const createdAt = Number.isNaN(createdMs) ? deps.clock() : new Date(createdMs);
  const share = await deps.outsiderModelBudget.share(outsiderShareScope(incident))?.claim(incident.id, createdAt);
  const shareSpent = share !== undefined && !share.granted;
  // A repository's first failure in the hour may take the pool's last analyses; its others leave them to the rest.
  // `first`, not a count of one: a first failure retried after the pool's claim failed finds others counted since.
  const repeat = share !== undefined && !share.first;
  const claim = shareSpent ? share : await deps.outsiderModelBudget.pool.claim(incident.id, createdAt, repeat ? deps.outsiderModelBudget.repeatLimit : undefined);
  if (claim.granted) return null;
  // The pool refused below its size: only a repeat's lower limit does that.
  const refusedBy = shareSpent ? 'repository share' : claim.used < claim.max ? 'reserve' : 'pool';
  const refusal = OUTSIDER_REFUSALS[refusedBy];
  deps.metrics.count(METRIC.outsiderModelBudgetSpent, 1);
  deps.logger.warn(refusal.log, { incidentId: incident.id, used: claim.used, max: claim.max, refusedBy });
  return refusal.reason(claim);
}

/** What refused an outsider's failure the model: the log line, and the reason the analysis keeps. */
const OUTSIDER_REFUSALS: Record<'repository share' | 'reserve' | 'pool', { log: string; reason: (claim: ModelBudgetClaim) => string }> = {
  'repository share': { log: 'model budget for runs outsiders control spent; analysing offline', reason: outsiderShareSpentReason },
  reserve: { log: "model budget for runs outsiders control: the rest is kept for other repositories' first failure; analysing offline", reason: outsiderReserveReason },
  pool: { log: 'model budget for runs outsiders control spent; analysing offline', reason: outsiderBudgetSpentReason },
};

/**
 * The gate before each model request of the incident's analysis: one of its {@link MODEL_REQUESTS_PER_INCIDENT},
 * whichever attempt makes it. `spentBefore`: this attempt was refused its first request.
 */
function modelRequestGate(incident: Incident, deps: AnalyzeDeps) {
  let granted = 0;
  const gate = {
    spentBefore: false,
    async take() {
      const taken = await deps.modelRequests.take(incident.id, MODEL_REQUESTS_PER_INCIDENT);
      if (!taken.granted) {
        gate.spentBefore = granted === 0;
        deps.logger.warn("the incident's model requests are spent; analysing offline", { incidentId: incident.id, used: taken.used });
        throw new ModelRequestsSpentError(`the incident's model requests are spent: ${taken.used} of ${MODEL_REQUESTS_PER_INCIDENT} model requests made, retries included`);
      }
      granted += 1;
    },
  };
  return gate;
}

/**
 * Runs the configured analyzer (with the experiment arm's settings), falling back to the deterministic one when
 * it fails for a reason retries cannot fix, at once when the incident's model budget is spent, and when its model
 * requests are (a retried or re-driven attempt has what the ones before left). Transient provider errors propagate
 * so the state machine retries them.
 */
export async function runAnalysis(incident: Incident, deps: AnalyzeDeps): Promise<AnalysisSummary> {
  const started = Date.now();
  const arm = armAnalyzer(incident, deps);
  const analyzer = withFallback(arm.analyzer, deps.fallbackAnalyzer, (reason) =>
    deps.logger.warn('analyzer failed; using the offline analyzer', { reason }),
  );
  const input = analysisInputFor(incident);
  const refusal = await outsiderBudgetRefusal(incident, arm.analyzer, deps);
  const gate = modelRequestGate(incident, deps);
  const result = refusal
    ? await analyzeWithFallback(deps.fallbackAnalyzer, input, refusal)
    : await analyzer.analyze({ ...input, ...(deps.signal ? { signal: deps.signal } : {}), beforeModelRequest: gate.take });
  // An incident analysed again (a re-driven execution) whose requests were spent on the model's analysis it holds
  // keeps that analysis rather than the offline one.
  const stored = incident.analysis;
  if (gate.spentBefore && stored && !stored.fallbackReason && stored.provider !== deps.fallbackAnalyzer.provider) return stored;
  const summary = summaryOf(result, input, Date.now() - started, deps.config.LLM_PRICES_JSON);
  return arm.notes.length > 0 ? { ...summary, adjustments: [...(summary.adjustments ?? []), ...arm.notes] } : summary;
}

/** Analyze stage: root cause, fix, confidence and a proposed action, stored on the incident. */
export async function analyzeStep(input: unknown, deps: AnalyzeDeps): Promise<AnalyzeResult> {
  const { trigger } = parseState(input);
  const incident = await deps.incidents.get(trigger.incidentId);
  if (!incident) throw new NotFoundError(`incident ${trigger.incidentId} not found`);
  const analysis = await runAnalysis(incident, deps);
  // The analysis the incident already held (see runAnalysis) had its tokens counted when it was made.
  if (analysis.cost && analysis !== incident.analysis) {
    const provider = { provider: analysis.provider };
    deps.metrics.count(METRIC.llmInputTokens, analysis.cost.inputTokens, provider);
    deps.metrics.count(METRIC.llmOutputTokens, analysis.cost.outputTokens, provider);
    if (analysis.cost.estimatedUsd !== null) deps.metrics.measure(METRIC.llmCostUsd, 'None', analysis.cost.estimatedUsd, provider);
  }
  const updated = await deps.incidents.update(
    incident.id,
    incident.status === 'resolved' ? { analysis } : { analysis, status: 'analyzed' },
    {
      history: [
        {
          at: deps.clock().toISOString(),
          event: 'analyzed',
          detail: `${analysis.provider}: ${analysis.proposedAction} (confidence ${analysis.confidence.toFixed(2)})`,
        },
        // A provider that is misconfigured (access denied, model not enabled, bad request) is not retried, and a
        // spent outsiders' model budget is not waited for; the reason is kept in the history as well as on the
        // analysis so it shows wherever the incident is read.
        ...(analysis.fallbackReason ? [{ at: deps.clock().toISOString(), event: 'analyzer_fallback', detail: analysis.fallbackReason }] : []),
      ],
    },
  );
  // Per-arm cost: counted once per incident (a retried step cannot count it twice); a failure here must not lose
  // the analysis, so it is logged and the experiment undercounts by one.
  try {
    await deps.learning?.onAnalyzed(updated);
  } catch (error) {
    deps.logger.warn('could not count the analysis cost for the experiment', { incidentId: incident.id, error: String(error) });
  }
  return {
    incidentId: incident.id,
    incidentStatus: updated.status,
    proposedAction: analysis.proposedAction,
    confidence: analysis.confidence,
    provider: analysis.provider,
  };
}
