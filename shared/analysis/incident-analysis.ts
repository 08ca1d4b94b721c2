/**
 * What the analyze and remediate stages share about analysing an incident: what the analyzer is shown, and the
 * analysis as stored. Below both stages, so neither calls into the other.
 */
import { type AnalysisOutcome, type PriceOverrides, analyzeWithFallback, costOf } from './index.js';
import { findInstructionLikeText, unsafeAnswerSignals } from './injection.js';
import type { AnalysisSummary, Incident } from '../domain/incident.js';
import type { AnalysisInput, Analyzer } from '../ports.js';

/** The analyzer's view of an incident: only redacted excerpts and metadata, never raw logs. */
export function analysisInputFor(incident: Incident): AnalysisInput {
  return {
    incidentId: incident.id,
    source: incident.source,
    repository: incident.repository,
    workflowName: incident.workflowName,
    branch: incident.branch,
    category: incident.category,
    failureLines: incident.failureLines,
    jobs: incident.jobs.map((job) => ({
      name: job.jobName,
      category: job.category,
      rules: job.failures.map((f) => f.rule),
      lines: job.failures.flatMap((f) => f.lines),
      diagnosis: job.diagnosis ? { ...job.diagnosis, confidence: job.confidence ?? 0 } : null,
    })),
    alarm: incident.alarm,
    knowledge: incident.knowledge,
  };
}

/**
 * The analysis as stored on the incident. `latencyMs` is the caller's wall-clock time for the whole analysis
 * (fallback included), which is what the cost accounting reports; `prices` are the `LLM_PRICES_JSON` overrides.
 */
export function toSummary(result: AnalysisOutcome, latencyMs: number, prices: PriceOverrides = {}): AnalysisSummary {
  return {
    provider: result.provider,
    model: result.model,
    rootCause: result.rootCause,
    fix: result.fix,
    confidence: result.confidence,
    proposedAction: result.proposedAction,
    rationale: result.rationale,
    ...(result.prevention ? { prevention: result.prevention } : {}),
    evidence: result.evidence,
    latencyMs: result.latencyMs ?? latencyMs,
    ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}),
    ...(result.usage ? { usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens } } : {}),
    ...(result.promptVersion ? { promptVersion: result.promptVersion } : {}),
    ...(result.adjustments?.length ? { adjustments: result.adjustments } : {}),
    cost: costOf(result, latencyMs, prices),
    ...(result.patch ? { patch: { diff: result.patch.diff, files: result.patch.files } } : {}),
  };
}

/**
 * Whether the analysis must be treated as steered: instruction-like text in what the analyzer was shown, or an
 * answer that asks for approval, a merge, secrets or a piped download. Null when neither.
 */
export function injectionOf(input: AnalysisInput, result: AnalysisOutcome): AnalysisSummary['injection'] | null {
  const logLines = findInstructionLikeText(input).length;
  const answerSignals = unsafeAnswerSignals([result.rootCause, result.rationale, result.prevention ?? '', ...result.fix]);
  return logLines > 0 || answerSignals.length > 0 ? { logLines, answerSignals } : null;
}

/** The analysis as stored: {@link toSummary} with the injection verdict ({@link injectionOf}) when there is one. */
export function summaryOf(result: AnalysisOutcome, input: AnalysisInput, latencyMs: number, prices: PriceOverrides = {}): AnalysisSummary {
  const summary = toSummary(result, latencyMs, prices);
  const injection = injectionOf(input, result);
  return injection ? { ...summary, injection } : summary;
}

/** The analysis when the analyze stage itself failed (its Catch leads to remediate): offline, with the reason. */
export async function fallbackAnalysisOf(incident: Incident, fallbackAnalyzer: Analyzer, prices: PriceOverrides, reason: string): Promise<AnalysisSummary> {
  const started = Date.now();
  const input = analysisInputFor(incident);
  const result = await analyzeWithFallback(fallbackAnalyzer, input, reason);
  return summaryOf(result, input, Date.now() - started, prices);
}
