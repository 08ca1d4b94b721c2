import type { AnalysisInput } from '../ports.js';
import { stripInvisible } from './text.js';

/**
 * Heuristics for text that addresses the model rather than describing a failure. They are a second line of
 * defence behind the prompt's fences and the action allow-list: a model that obeys an injected line can still
 * only pick an allowed action, and these patterns keep such a line from counting as evidence and keep the
 * confidence of the answer below the automatic-action thresholds. False positives only lower confidence.
 */
const INSTRUCTION_PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|prompts?|rules?|directions?|guidelines?|polic(y|ies))\b/,
  /\b(system|developer)\s+(prompt|message|override|instructions?)\b/,
  /(<\|?\s*\/?\s*(system|assistant|im_start|im_end)\s*\|?>|\[\/?inst\]|^\s*#{2,}\s*(system|assistant)\b|^\s*(assistant|ai)\s*:)/,
  /\b(you are now|you must now|new instructions?|from now on)\b/,
  /\b(open_fix_pr|rerun_failed_jobs|run_runbook|comment_only|proposed_?action)\b/,
  /\bconfidence\b.{0,20}(\b1(\.0+)?\b|100\s*%)/,
  /\b(please|must|should|now|immediately)\s+(approve|merge)\b|\bauto-?merge\b/,
  /\b(reveal|print|send|exfiltrate|leak|post)\b.{0,30}\b(secrets?|tokens?|credentials?|system prompt|api[ _-]?keys?)\b.{0,40}\b(to|at|https?:)/,
  /\b(as an ai|language model)\b/,
];

/**
 * Unicode "tag" characters (U+E0020–U+E007E) mirror printable ASCII and render as nothing: text spelled in
 * them ("ASCII smuggling") is invisible to a reviewer but readable by a model. For detection they are decoded
 * back to ASCII, so a hidden instruction is seen; the prompt itself removes them (`cleanText`).
 */
function decodeTagCharacters(text: string): string {
  // A hidden run is set off by spaces so it reads as words of its own next to the visible text.
  return text.replace(/(?:\uDB40[\uDC20-\uDC7E])+/g, (run) =>
    ` ${run.replace(/\uDB40([\uDC20-\uDC7E])/g, (_, low: string) => String.fromCharCode(low.charCodeAt(0) - 0xdc00))} `,
  );
}

/** Normalizes the way injections hide: tag characters, invisible characters, full-width letters, case and spacing. */
function normalize(text: string): string {
  return stripInvisible(decodeTagCharacters(text).normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ');
}

export function looksLikeInstruction(text: string): boolean {
  const normalized = normalize(text);
  return INSTRUCTION_PATTERNS.some((pattern) => pattern.test(normalized));
}

/** Every piece of untrusted text in the input that looks like it was written to steer the model. */
export function findInstructionLikeText(input: AnalysisInput): string[] {
  const texts = [
    ...input.failureLines.map((line) => line.text),
    ...input.jobs.flatMap((job) => [job.name, ...job.lines.map((line) => line.text)]),
    input.repository,
    input.workflowName,
    input.branch,
    input.alarm?.name,
    input.alarm?.reason,
    input.knowledge?.summary,
  ].filter((text): text is string => typeof text === 'string' && text.length > 0);
  return [...new Set(texts.filter(looksLikeInstruction))];
}
