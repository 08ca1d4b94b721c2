/** Types of expression-cache.mjs (plain JavaScript, loaded by the store's worker thread). */
/** A dynalite expression parser module (db/conditionParser, updateParser, projectionParser), as its validations call it. */
export interface ExpressionParser {
  parse(input: string, options: { context: Record<string, unknown> }): unknown;
}
export declare function cacheExpressionParses(parsers: ExpressionParser[], options?: { max?: number }): void;
