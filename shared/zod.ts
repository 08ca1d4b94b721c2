/**
 * zod for the project's schemas: `import * as z from '<path>/zod.js'` is zod/mini, zod's tree-shakable functional API
 * (`z.optional(s)`, `s.check(z.maxLength(n))`), which keeps classic zod's ≈60 KB of methods and JSON-Schema code out of
 * every Lambda bundle. zod/mini brings no messages of its own ("Invalid input" for every issue), so English is
 * configured here, once, as classic zod does on its first schema; the 4xx, CLI and configuration errors quote them.
 * package.json names this file in `sideEffects`, or esbuild would drop the `config` call with the file.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
