import * as z from '../zod.js';
import { REMEDIATION_ACTIONS } from '../domain/incident.js';
import type { AnalysisInput, AnalysisResult, Analyzer } from '../ports.js';
import { type AcceptedPatch, PATCH_LIMITS } from './patch.js';
import { ANALYSIS_TOOL_INPUT_SCHEMA_JSON } from './tool-schema.generated.js';

/** Bounds on what an analyzer may return. They keep incidents, PR comments and Step Functions state small. */
export const ANALYSIS_LIMITS = {
  rootCauseChars: 2000,
  rationaleChars: 2000,
  fixSteps: 10,
  fixStepChars: 500,
  evidenceItems: 10,
  evidenceChars: 1000,
  preventionChars: 1000,
} as const;

/**
 * The analysis a model must produce, as zod. It is the single source of the Bedrock tool's input schema
 * (through {@link analysisToolInputSchema}) and of what {@link validateAnalysis} accepts, so the model is told
 * exactly the rules it is checked against. Provider and model are added by the adapter, never by the model.
 */
export const analysisResultSchema = z.object({
  rootCause: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(ANALYSIS_LIMITS.rootCauseChars),
      z.describe('One or two sentences naming the most likely root cause, citing the failing test, file or command.'),
    ),
  fix: z
    .array(z.string().check(z.minLength(1), z.maxLength(ANALYSIS_LIMITS.fixStepChars)))
    .check(
      z.minLength(1),
      z.maxLength(ANALYSIS_LIMITS.fixSteps),
      z.describe('Concrete steps a developer can follow to fix the failure, most important first.'),
    ),
  prevention: z
    .optional(z.string().check(z.maxLength(ANALYSIS_LIMITS.preventionChars)))
    .check(z.describe('Optional: how to keep this failure from happening again (a test, a pin, a retry policy), one or two sentences.')),
  confidence: z
    .number()
    .check(z.gte(0), z.lte(1), z.describe('How sure you are of the root cause, from 0 to 1. Use 0.5 or less without a clear error line.')),
  proposedAction: z
    .enum(REMEDIATION_ACTIONS)
    .check(
      z.describe(
        'comment_only: explain on the PR; rerun_failed_jobs: transient failure a re-run should fix; ' +
          'open_fix_pr: a small, certain code change; run_runbook: a known operational fix; escalate: a human must look.',
      ),
    ),
  rationale: z
    .string()
    .check(z.maxLength(ANALYSIS_LIMITS.rationaleChars), z.describe('Why this action and this confidence, in one or two sentences.')),
  evidence: z
    .array(z.string().check(z.maxLength(ANALYSIS_LIMITS.evidenceChars)))
    .check(
      z.maxLength(ANALYSIS_LIMITS.evidenceItems),
      z.describe('Log lines copied exactly from the failure log that support the root cause, without the L<n>| prefix.'),
    ),
  patch: z
    .optional(z.string().check(z.maxLength(PATCH_LIMITS.maxBytes)))
    .check(
      z.describe(
        `Optional, only with open_fix_pr: a unified diff (git diff format) of at most ${PATCH_LIMITS.maxFiles} files, paths ` +
          'relative to the repository root. Patches touching .github/workflows, .github/actions, credentials or secrets ' +
          'files, or paths outside the repository are discarded.',
      ),
    ),
});

export type ModelAnalysis = z.infer<typeof analysisResultSchema>;

/**
 * JSON Schema for the Bedrock tool's `inputSchema.json` (and the OpenAI-compatible tool's parameters), without
 * `$schema`: the Converse API passes the object to the model provider, and not every provider accepts the
 * meta-schema keyword. Generated from {@link analysisResultSchema} by `npm run build:tool-schema`
 * (scripts/build-tool-schema.ts), so the functions carry its text rather than zod's JSON Schema generator; a unit
 * test fails while it is stale. A fresh object each call.
 */
export function analysisToolInputSchema(): { [key: string]: JsonValue } {
  return JSON.parse(ANALYSIS_TOOL_INPUT_SCHEMA_JSON) as { [key: string]: JsonValue };
}

/** Plain JSON, which is what the SDK's document type accepts. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * What the analyzers in this module return: the {@link AnalysisResult} of the port plus accounting the analyze
 * step stores on the incident (cost, latency, why a fallback was used, what validation changed).
 */
export interface AnalysisOutcome extends AnalysisResult {
  /** Token usage summed over every model call made for this analysis (repairs included). */
  usage?: TokenUsage;
  /** Wall-clock time of the analysis, model calls and repairs included. */
  latencyMs?: number;
  /** Version of the prompt template, when a model was prompted. */
  promptVersion?: string;
  /** Model calls made (1, or 2 after a repair). */
  attempts?: number;
  /** What validation changed in the model's answer (evidence dropped, confidence capped, text cut). */
  adjustments?: string[];
  /** How to keep the failure from recurring, when the analyzer said. */
  prevention?: string;
  /** A patch the model proposed that passed {@link checkPatch}; discarded ones are noted in `adjustments`. */
  patch?: AcceptedPatch;
  /** Set when the fallback produced this result: the primary provider failed, or was not asked (a spent budget). One line. */
  fallbackReason?: string;
  /** Estimated input tokens of the first request (see `tokens.ts`); the provider's count is in `usage`. */
  estimatedInputTokens?: number;
  /** The failed primary's spend, so cost accounting still sees tokens paid for an unusable answer. */
  failedAttempt?: { provider: string; model: string | null; usage?: TokenUsage; latencyMs?: number };
}

/** An {@link Analyzer} of this module: same port, richer result. Assignable wherever an `Analyzer` is expected. */
export interface OutcomeAnalyzer extends Analyzer {
  /** The model id for model-backed analyzers, null for the offline one. */
  readonly model: string | null;
  analyze(input: AnalysisInput): Promise<AnalysisOutcome>;
}
