import * as z from '../zod.js';
import { REMEDIATION_ACTIONS } from '../domain/incident.js';
import { holdsSecret, redactOrWithhold, WITHHELD_TEXT } from '../logs/redact.js';
import { countMarkers } from '../logs/redaction/replacements.js';
import type { AnalysisInput, AnalysisResult } from '../ports.js';
import { AnalyzerOutputError } from './errors.js';
import { findInstructionLikeText, looksLikeInstruction } from './injection.js';
import { renderLogText } from './prompt.js';
import { addedLines } from './diff-reading.js';
import { type AcceptedPatch, checkPatch } from './patch.js';
import { ANALYSIS_LIMITS } from './schema.js';
import { cleanText, oneLine, truncate } from './text.js';

/** Highest confidence an answer keeps when none of its evidence is a real log line. */
export const NO_EVIDENCE_CONFIDENCE_CAP = 0.5;
/** Highest confidence an answer keeps when the input contains text written to steer the model. */
export const INJECTION_CONFIDENCE_CAP = 0.5;
/** A partial quote must be at least this long to count: "error" alone would match almost any log. */
const MIN_PARTIAL_QUOTE_CHARS = 20;
/** Evidence entries looked at; a model that returns hundreds gets the first ones considered. */
const MAX_EVIDENCE_CONSIDERED = 50;

/**
 * Models sometimes send an array field as a JSON-encoded string, or a single step as a bare string. Both are
 * unambiguous, so they are accepted rather than spending a repair call on them.
 */
const stringList = z.pipe(
  z.transform((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    if (trimmed.startsWith('[')) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return [value];
      }
    }
    return [value];
  }),
  z.array(z.string()),
);

/**
 * What is accepted from a model before policy is applied. Structure and the action allow-list are strict (a
 * violation is an error the adapter can send back for repair); sizes and ranges are not, because clamping a
 * confidence or cutting a long step is harmless and cheaper than another model call.
 */
const modelOutputSchema = z.object({
  rootCause: z.string(),
  fix: stringList,
  confidence: z.union([z.number(), z.pipe(z.string().check(z.trim(), z.regex(/^-?\d+(\.\d+)?$/)), z.transform(Number))]),
  proposedAction: z.pipe(
    z.transform((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    z.enum(REMEDIATION_ACTIONS, { error: `must be one of ${REMEDIATION_ACTIONS.join(', ')}` }),
  ),
  rationale: z._default(z.string(), ''),
  prevention: z.nullish(z.string()),
  evidence: z._default(stringList, []),
  // Not strict: a malformed patch is discarded and noted rather than costing a repair call, since the rest of
  // the analysis can still be right.
  patch: z.optional(z.unknown()),
});

export interface ValidatedAnalysis extends AnalysisResult {
  /** What policy changed in the answer, one line each (empty when the answer was taken as is). */
  adjustments: string[];
  /** How to keep the failure from recurring, when the model said (cleaned and cut). */
  prevention?: string;
  /** The proposed patch, when there was one and it passed {@link checkPatch}. */
  patch?: AcceptedPatch;
}

/**
 * The model's `patch` field: absent, accepted, or discarded with a reason for `adjustments`. A patch holding
 * anything redaction would replace is discarded, not redacted: a marker inside a diff would corrupt the change
 * (or commit the marker), and the diff is published whole in the fix PR and the comment. A patch that adds a
 * test password is lost that way too; the analysis itself is kept.
 */
function reviewPatch(value: unknown): { patch?: AcceptedPatch; note?: string } {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return {};
  if (typeof value !== 'string') return { note: 'patch discarded: expected a unified diff as text' };
  const check = checkPatch(value);
  if (!check.ok) return { note: `patch discarded: ${oneLine(redactOrWithhold(check.reason), 200)}` };
  // Only what the patch adds: its context and removed lines are already in the repository, where the comment
  // showing them lives too (a one-line fix next to a test fixture's JWT is still a fix).
  if (holdsSecret(addedLines(check.patch.diff).join('\n'))) return { note: 'patch discarded: it adds text that looks like a secret' };
  return { patch: check.patch };
}

function collapse(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

/**
 * Every text the model was shown as a log line, in the forms it may quote it: as sent to us (redacted) and as
 * rendered in the prompt (defused fences, cut at 500 characters). Each maps back to the original text, which
 * is what is stored as evidence.
 */
function evidenceCorpus(input: AnalysisInput): Array<{ original: string; forms: string[] }> {
  const texts = [
    ...input.failureLines.map((line) => line.text),
    ...input.jobs.flatMap((job) => job.lines.map((line) => line.text)),
    ...(input.alarm?.reason ? [input.alarm.reason] : []),
  ];
  const seen = new Set<string>();
  const corpus: Array<{ original: string; forms: string[] }> = [];
  for (const original of texts) {
    if (seen.has(original) || original.trim() === '') continue;
    seen.add(original);
    const rendered = collapse(renderLogText(original));
    const forms = [collapse(original), rendered, rendered.endsWith('…') ? rendered.slice(0, -1).trimEnd() : rendered];
    corpus.push({ original, forms: [...new Set(forms.filter((form) => form.length > 0))] });
  }
  return corpus;
}

/** The original log line a quote refers to, or null when the quote is not in the log. */
function matchEvidence(quote: string, corpus: ReturnType<typeof evidenceCorpus>): string | null {
  let text = collapse(quote).replace(/^L\d+\s*\|\s?/, '');
  if (text.endsWith('…')) text = text.slice(0, -1).trimEnd();
  if (text.length === 0) return null;
  for (const entry of corpus) if (entry.forms.includes(text)) return entry.original;
  if (text.length < MIN_PARTIAL_QUOTE_CHARS) return null;
  for (const entry of corpus) if (entry.forms.some((form) => form.includes(text))) return entry.original;
  return null;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'analysis'}: ${issue.message}`)
    .join('; ');
}

function reject(message: string): never {
  throw new AnalyzerOutputError(`invalid analysis: ${oneLine(message, 500)}`);
}

/**
 * Turns a model's raw answer into an {@link AnalysisResult} the rest of the pipeline can trust.
 *
 * Rejected (throws {@link AnalyzerOutputError}, which the adapter sends back once for repair): not an object,
 * missing fields, wrong types, an empty root cause or fix, a non-numeric confidence, and any `proposedAction`
 * outside {@link REMEDIATION_ACTIONS}. An unknown action is rejected rather than mapped to `escalate` because an
 * answer that ignores the allow-list has ignored the instructions, and the rest of it is not worth keeping.
 *
 * Adjusted (noted in `adjustments`): confidence clamped to [0, 1]; text cut to the limits in
 * {@link ANALYSIS_LIMITS} and cleaned of control and invisible characters; evidence that is not a verbatim log
 * line, or that reads like an instruction to the model, dropped (a quote is mapped to the full original line);
 * confidence capped at {@link NO_EVIDENCE_CONFIDENCE_CAP} when no evidence remains and at
 * {@link INJECTION_CONFIDENCE_CAP} when the input contains instruction-like text; a `patch` that fails
 * {@link checkPatch} (workflow, action, credential or out-of-tree paths, binary, oversized) discarded.
 *
 * Redacted (noted in `adjustments`): secrets in the root cause, fix steps, rationale, prevention and evidence, with
 * {@link redactOrWithhold}, before any cut. What this returns reaches the PR comment, the fix PR's body, the stored
 * incident and later prompts (as knowledge), so nothing the model writes passes unredacted. A patch holding a secret
 * is discarded rather than redacted (see {@link reviewPatch}).
 */
export function validateAnalysis(
  raw: unknown,
  input: AnalysisInput,
  provider: string,
  model: string | null,
): ValidatedAnalysis {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      reject('expected a JSON object, got text');
    }
  }
  const parsed = modelOutputSchema.safeParse(value);
  if (!parsed.success) reject(describeIssues(parsed.error));
  const answer = parsed.data;
  const adjustments: string[] = [];
  // Every text of the answer is redacted (the model can decode base64 or join a token split over lines, which
  // the log's redaction did not see), before any cut, so a cut cannot leave half a token no pattern recognises.
  // A text with nothing to redact is kept as it was.
  let redactedFields = 0;
  const redact = (text: string): string => {
    const out = redactOrWithhold(text);
    if (out !== WITHHELD_TEXT && countMarkers(out) <= countMarkers(text)) return text;
    redactedFields += 1;
    return out;
  };

  const rootCauseText = redact(cleanText(answer.rootCause)).trim();
  if (rootCauseText === '') reject('rootCause: must not be empty');
  const rootCause = truncate(rootCauseText, ANALYSIS_LIMITS.rootCauseChars);
  if (rootCause !== rootCauseText) adjustments.push(`root cause cut to ${ANALYSIS_LIMITS.rootCauseChars} characters`);

  const stepTexts = answer.fix.map((step) => redact(cleanText(step)).replace(/\s+/g, ' ').trim());
  const steps = stepTexts.map((step) => truncate(step, ANALYSIS_LIMITS.fixStepChars)).filter((step) => step !== '');
  if (steps.length === 0) reject('fix: must contain at least one step');
  const fix = steps.slice(0, ANALYSIS_LIMITS.fixSteps);
  if (steps.length > fix.length) adjustments.push(`fix cut from ${steps.length} to ${fix.length} steps`);
  if (stepTexts.some((step) => step.length > ANALYSIS_LIMITS.fixStepChars)) {
    adjustments.push(`fix steps cut to ${ANALYSIS_LIMITS.fixStepChars} characters`);
  }

  if (!Number.isFinite(answer.confidence)) reject('confidence: must be a number between 0 and 1');
  let confidence = Math.min(1, Math.max(0, answer.confidence));
  if (confidence !== answer.confidence) adjustments.push(`confidence ${answer.confidence} clamped to ${confidence}`);

  const corpus = evidenceCorpus(input);
  const evidence: string[] = [];
  let fabricated = 0;
  let instructionLike = 0;
  for (const quote of answer.evidence.slice(0, MAX_EVIDENCE_CONSIDERED)) {
    const original = matchEvidence(quote, corpus);
    if (original === null) fabricated += 1;
    else if (looksLikeInstruction(original)) instructionLike += 1;
    else if (!evidence.includes(original)) evidence.push(original);
  }
  if (fabricated > 0) adjustments.push(`dropped ${fabricated} evidence line(s) not found verbatim in the log`);
  if (instructionLike > 0) adjustments.push(`dropped ${instructionLike} evidence line(s) that read as instructions to the model`);
  if (evidence.length > ANALYSIS_LIMITS.evidenceItems) {
    adjustments.push(`evidence cut to ${ANALYSIS_LIMITS.evidenceItems} lines`);
    evidence.length = ANALYSIS_LIMITS.evidenceItems;
  }

  const cap = (limit: number, why: string): void => {
    if (confidence > limit) {
      adjustments.push(`confidence capped from ${confidence} to ${limit}: ${why}`);
      confidence = limit;
    }
  };
  if (evidence.length === 0) cap(NO_EVIDENCE_CONFIDENCE_CAP, 'no verbatim evidence');
  if (findInstructionLikeText(input).length > 0) cap(INJECTION_CONFIDENCE_CAP, 'the input contains text that tries to instruct the model');

  const preventionText = redact(cleanText(answer.prevention ?? '')).trim();
  const prevention = truncate(preventionText, ANALYSIS_LIMITS.preventionChars);
  if (prevention !== preventionText) adjustments.push(`prevention cut to ${ANALYSIS_LIMITS.preventionChars} characters`);

  const proposedPatch = reviewPatch(answer.patch);
  if (proposedPatch.note) adjustments.push(proposedPatch.note);

  const rationaleText = redact(cleanText(answer.rationale)).trim();
  const rationale = truncate(rationaleText, ANALYSIS_LIMITS.rationaleChars);
  if (rationale !== rationaleText) adjustments.push(`rationale cut to ${ANALYSIS_LIMITS.rationaleChars} characters`);

  // Log lines were redacted when they were read; the pass here covers inputs that were not (the CLI, tests).
  const shownEvidence = evidence.map((line) => truncate(redact(line), ANALYSIS_LIMITS.evidenceChars));
  if (redactedFields > 0) adjustments.push(`redacted secrets in ${redactedFields} text field(s) of the answer`);

  return {
    rootCause,
    fix,
    confidence,
    proposedAction: answer.proposedAction,
    rationale,
    evidence: shownEvidence,
    provider,
    model,
    adjustments,
    ...(prevention ? { prevention } : {}),
    ...(proposedPatch.patch ? { patch: proposedPatch.patch } : {}),
  };
}
