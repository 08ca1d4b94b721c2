/**
 * Token estimates for the prompt budget. The exact count depends on each model's tokenizer, which is not
 * available offline (and differs between Claude, Nova, Llama and whatever an OpenAI-compatible server runs), so
 * the budget is kept with an estimate that errs on the high side.
 *
 * Why not a flat "characters / 3.5": that ratio holds for English prose, but CI logs are paths, hashes, numbers
 * and punctuation, where BPE tokenizers get 2–3 characters per token; a flat 3.5 under-counts such text by up
 * to 40% and the "8k" budget becomes 11k. This counter charges each run of letters one token per 4 letters,
 * each run of digits one token per 2 digits, every punctuation mark one token, every line break and run of
 * indentation one token, and every non-ASCII character one token (two outside the BMP, e.g. emoji). On
 * English prose that is about 3.5 characters per token (real tokenizers: 4–4.5); on stack traces and paths
 * about 2.2–2.8, which over-counts real tokenizers by 10–40%: the safe direction for a budget.
 */

/** Characters per token on English prose, for documentation and rough conversions only. */
export const CHARS_PER_TOKEN_PROSE = 3.5;

const RUNS = /[A-Za-z]+|[0-9]+|\r?\n|[ \t]{2,}|[ \t]|[\u0021-\u002F\u003A-\u0040\u005B-\u0060\u007B-\u007E]|[\s\S]/gu;

/** Conservative token count of `text` (see the module comment for the rules). */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(RUNS)) {
    const run = match[0];
    const first = run.charCodeAt(0);
    if ((first >= 65 && first <= 90) || (first >= 97 && first <= 122)) tokens += Math.ceil(run.length / 4);
    else if (first >= 48 && first <= 57) tokens += Math.ceil(run.length / 2);
    else if (run === ' ' || run === '\t') continue; // a single space merges with the next word in BPE vocabularies
    else if (run.length > 1 && run.trim() === '' && !run.includes('\n')) tokens += Math.ceil(run.length / 4);
    else if (run.codePointAt(0)! > 0xffff) tokens += 2;
    else tokens += 1;
  }
  return tokens;
}
