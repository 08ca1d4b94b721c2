/**
 * The prompt's versions and input budgets: what configuration and experiment arms may choose, with no imports, so
 * the settings that name them need not load the prompt builder (and, through it, the domain).
 */

/**
 * Version of the analysis prompt template (`prompt.ts`). Stored with every analysis so a change in answers can be
 * traced to a change in the prompt; bump it whenever the system text, the layout or the packing rules change.
 * v2: token budget instead of a character budget; failed job names and earlier incidents in the data; patches.
 */
export const PROMPT_VERSION = 'analysis-v2';

/**
 * Templates an experiment arm may choose (`promptVersion`). `analysis-v2-brief` has the same data and security
 * rules but asks for a one-sentence root cause, at most three fix steps and no prevention note: fewer output
 * tokens, which is what a team testing a cheaper configuration wants to measure against the full answer.
 */
export const PROMPT_VERSIONS = ['analysis-v2', 'analysis-v2-brief'] as const;
export type PromptVersion = (typeof PROMPT_VERSIONS)[number];

/**
 * Default input budget per model call, in estimated tokens (`estimateTokens` in tokens.ts): system prompt, tool schema,
 * provider overhead and the user message together. 8k keeps a Sonnet-class call around three US cents (README,
 * "LLM analysis") and fits every supported model's context window with room for the answer.
 */
export const DEFAULT_INPUT_TOKEN_BUDGET = 8000;

/** Below this the request cannot hold the system prompt, the tool schema and a few log lines. */
export const MIN_INPUT_TOKEN_BUDGET = 3000;
