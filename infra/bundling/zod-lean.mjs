// `zod` for the Lambda bundles: the same exports as zod's own entry without the locales (see zod-lean-external.mjs).
import * as z from './zod-lean-external.mjs';
export * from './zod-lean-external.mjs';
export { z, z as default };
