import type { Config } from '../config.js';
import type { LogAnalysis } from '../logs/types.js';
import type { AnalysisInput } from '../ports.js';
import { withFallback } from './fallback.js';
import { type AnalysisCost, costOf } from './pricing.js';
import { type AnalyzerKind, type ConfiguredAnalyzers, type ProviderDeps, createConfiguredAnalyzers } from './providers.js';
import type { AnalysisOutcome } from './schema.js';
import { cleanText, oneLine } from './text.js';

/**
 * `guard analyze <log> --explain`: runs the configured provider chain on the log engine's result, outside the
 * state machine. Nothing retries here, so a throttled or unreachable provider falls back to the offline
 * analysis at once (with the reason shown) instead of failing the command.
 */

/** Where the log came from, when the caller knows; shown to the model as repository metadata. */
export interface ExplainSource {
  repository?: string;
  workflowName?: string;
  branch?: string;
  jobName?: string;
}

export interface ExplainOptions {
  config: Config;
  source?: ExplainSource;
  /** Transports for the providers (tests pass a fetch mock or a mocked Bedrock client). */
  deps?: ProviderDeps;
  /** Analyzers to use instead of the ones the configuration selects. */
  analyzers?: Omit<ConfiguredAnalyzers, 'kind'> & { kind?: AnalyzerKind };
  /** Wall clock in milliseconds, for latency (default `Date.now`). */
  now?: () => number;
}

export interface Explanation {
  /** The provider the configuration selected (the outcome's `provider` says who answered). */
  configured: AnalyzerKind;
  input: AnalysisInput;
  outcome: AnalysisOutcome;
  cost: AnalysisCost;
}

/** Failures passed to the model, as many as the classify stage keeps per job. */
const MAX_FAILURES = 5;
const MAX_FAILURE_LINES = 25;
const MAX_LINE_CHARS = 500;

/**
 * The analyzer's view of one log, shaped like an incident's: the top failure's lines first, then every
 * failure's lines under one job. The log engine has already redacted the lines, so nothing raw is sent.
 */
export function analysisInputFromLog(analysis: LogAnalysis, source: ExplainSource = {}): AnalysisInput {
  const clip = (lines: LogAnalysis['failures'][number]['lines']) =>
    lines.slice(0, MAX_FAILURE_LINES).map(({ line, text }) => ({ line, text: text.slice(0, MAX_LINE_CHARS) }));
  const failures = analysis.failures.slice(0, MAX_FAILURES);
  return {
    incidentId: `local/${analysis.fingerprint.slice(0, 16)}`,
    source: 'github',
    repository: source.repository ?? null,
    workflowName: source.workflowName ?? null,
    branch: source.branch ?? null,
    category: analysis.category,
    failureLines: failures[0] ? clip(failures[0].lines) : [],
    jobs:
      failures.length === 0
        ? []
        : [
            {
              name: source.jobName ?? 'log',
              category: analysis.category,
              rules: failures.map((failure) => failure.rule),
              lines: failures.flatMap((failure) => clip(failure.lines)),
            },
          ],
    alarm: null,
    knowledge: null,
  };
}

/**
 * Explains a log with the configured provider chain (`ANALYZER`, `BEDROCK_MODEL_ID`, `LLM_BASE_URL` …; offline
 * when nothing is configured), falling back to the offline analyzer on any provider failure. Returns the
 * validated outcome with tokens, estimated cost (`LLM_PRICES_JSON` overrides applied) and latency.
 */
export async function explainLog(analysis: LogAnalysis, options: ExplainOptions): Promise<Explanation> {
  const now = options.now ?? Date.now;
  const configured = options.analyzers ?? createConfiguredAnalyzers(options.config, options.deps);
  const kind = configured.kind ?? 'offline';
  const chain = withFallback(configured.analyzer, configured.fallbackAnalyzer, undefined, { fallbackOnUnavailable: true });
  const input = analysisInputFromLog(analysis, options.source);
  const started = now();
  const outcome = await chain.analyze(input);
  return { configured: kind, input, outcome, cost: costOf(outcome, now() - started, options.config.LLM_PRICES_JSON) };
}

function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown (no price for this model; set LLM_PRICES_JSON)';
  if (usd === 0) return '$0';
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(3)}`;
}

/**
 * The explanation for a terminal. Every text is stripped of control characters first: log lines and model
 * output are untrusted, and an escape sequence could rewrite what the reader sees.
 */
export function formatExplanation(explanation: Explanation): string {
  const { outcome, cost } = explanation;
  const safe = (text: string) => cleanText(text).replace(/[\r\n]+/g, ' ').trim();
  const out: string[] = [];
  const model = outcome.model ? ` · ${safe(outcome.model)}` : '';
  const prompt = outcome.promptVersion ? ` · prompt ${outcome.promptVersion}` : '';
  out.push(`analysis by ${safe(outcome.provider)}${model}${prompt} (configured: ${explanation.configured})`);
  if (outcome.fallbackReason) out.push(`fallback: ${oneLine(outcome.fallbackReason, 300)}`);
  out.push('', `root cause: ${safe(outcome.rootCause)}`);
  out.push(`confidence: ${outcome.confidence.toFixed(2)}   proposed action: ${outcome.proposedAction}`);
  if (outcome.rationale) out.push(`rationale: ${safe(outcome.rationale)}`);
  out.push('', 'fix:', ...outcome.fix.map((step, index) => `  ${index + 1}. ${safe(step)}`));
  if (outcome.prevention) out.push('', `prevention: ${safe(outcome.prevention)}`);
  if (outcome.evidence.length > 0) out.push('', 'evidence:', ...outcome.evidence.map((line) => `  > ${safe(line)}`));
  if (outcome.patch) {
    const bytes = Buffer.byteLength(outcome.patch.diff, 'utf8');
    out.push('', `patch: ${outcome.patch.files.length} file(s), ${bytes} bytes, not applied: ${outcome.patch.files.map(safe).join(', ')}`);
  }
  if (outcome.adjustments && outcome.adjustments.length > 0) {
    out.push('', 'validation changed:', ...outcome.adjustments.map((note) => `  - ${safe(note)}`));
  }
  const calls = outcome.attempts ? ` in ${outcome.attempts} call(s)` : '';
  const tokens =
    cost.inputTokens + cost.outputTokens > 0
      ? `tokens: ${cost.inputTokens} in / ${cost.outputTokens} out${calls} · estimated cost ${formatUsd(cost.estimatedUsd)}`
      : 'tokens: none (no model was called) · cost $0';
  out.push('', `${tokens} · ${(cost.latencyMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}
