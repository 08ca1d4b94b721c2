/**
 * zod for the project's schemas: `import * as z from '<path>/zod.js'` is zod/mini, zod's tree-shakable functional API
 * (`z.optional(s)`, `s.check(z.maxLength(n))`), which keeps classic zod's ≈60 KB of methods and JSON-Schema code out of
 * every Lambda bundle. zod/mini brings no messages of its own ("Invalid input" for every issue), so English is
 * configured here, once, as classic zod does on its first schema; the 4xx, CLI and configuration errors quote them.
 * package.json names this file in `sideEffects`, or esbuild would drop the `config` call with the file.
 */
import { ZodMiniNumber, config } from 'zod/mini';
import { type $ZodNumberParams, _coercedNumber } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * `z.coerce`, with the one coercion the project uses (the numeric settings of shared/config.ts), built exactly as
 * zod/mini's `coerce.number` builds it. It takes the place of zod's `coerce` namespace (a module's own export wins over
 * `export *`) because `z.coerce.number` reaches that namespace through two re-exports, and esbuild then keeps all of
 * it, the string, boolean, bigint and date coercions with their schema classes, in every bundle. Another coercion
 * is added here the same way.
 */
export const coerce = {
  number: (params?: string | $ZodNumberParams): ZodMiniNumber<unknown> => _coercedNumber(ZodMiniNumber, params),
};
