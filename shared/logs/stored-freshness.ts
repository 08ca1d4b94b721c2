/**
 * Whether the data `npm run build:line-filter` stored in line-filter.generated.ts was computed from the current
 * inputs (the triggers, the rule table, the redaction's patterns): the key each datum was stored under against the key
 * of what the process would compute it from now. Only keys are compared, nothing is compiled, so a build can ask
 * before it bundles (infra/constructs/guard-function.ts): a bundle is built only from fresh data and leaves out the
 * code that computes it (see `GUARD_STORED_DATA_FRESH` in stored.ts). Not imported by any handler.
 */
import { expressionsKey } from './literal-index.js';
import { BLOCK_AUTOMATA, DIGIT_BLIND_SLOTS, LINE_FILTER_TABLES, LITERAL_INDEX_LITERALS, REDACTION_PATTERN_LITERALS } from './line-filter.generated.js';
import { lineFilterSpecs, specsKey } from './line-filter.js';
import { INDEX_EXPRESSIONS, memoExpressions, memoExpressionsKey, SCANNER_TRIGGERS } from './dispatch.js';
import { blockQuestions, blockQuestionsKey } from './raw-continuation.js';
import { LINE_PATTERN_EXPRESSIONS } from './redaction/pattern-gate.js';
import type { StoredData } from './stored.js';
import { StoredDataStaleError } from '../errors.js';

/** The identifier a bundle's build defines as `true` once the stored data is checked fresh (see stored.ts). */
export const STORED_DATA_FRESH_DEFINE = 'GUARD_STORED_DATA_FRESH';

/** The stored data of line-filter.generated.ts that is computed from inputs, by its export's name. */
export const GENERATED_STORED_DATA = { LINE_FILTER_TABLES, LITERAL_INDEX_LITERALS, REDACTION_PATTERN_LITERALS, DIGIT_BLIND_SLOTS, BLOCK_AUTOMATA };

export type StoredDataName = keyof typeof GENERATED_STORED_DATA;

/** The key of the inputs each datum would be computed from now (as the site that reads it computes it). */
export function currentStoredDataKeys(): Record<StoredDataName, string> {
  return {
    LINE_FILTER_TABLES: specsKey(lineFilterSpecs(SCANNER_TRIGGERS)),
    LITERAL_INDEX_LITERALS: expressionsKey(INDEX_EXPRESSIONS),
    REDACTION_PATTERN_LITERALS: expressionsKey(LINE_PATTERN_EXPRESSIONS),
    DIGIT_BLIND_SLOTS: memoExpressionsKey(memoExpressions()),
    BLOCK_AUTOMATA: blockQuestionsKey(blockQuestions()),
  };
}

/** The names of the data in `stored` whose key is not that of the current inputs; none when the module is fresh. */
export function staleStoredData(stored: Readonly<Record<StoredDataName, StoredData>> = GENERATED_STORED_DATA): StoredDataName[] {
  const current = currentStoredDataKeys();
  return (Object.keys(current) as StoredDataName[]).filter((name) => stored[name].key !== current[name]);
}

/** Throws, naming what is stale, unless every stored datum was computed from the current inputs. */
export function assertStoredDataFresh(stored: Readonly<Record<StoredDataName, StoredData>> = GENERATED_STORED_DATA): void {
  const stale = staleStoredData(stored);
  if (stale.length > 0) throw new StoredDataStaleError(`line-filter.generated.ts is stale (${stale.join(', ')}): run \`npm run build:line-filter\` before bundling`);
}
