/**
 * `tsx scripts/bundle-function.ts FUNCTION OUTDIR`: bundles one function into OUTDIR (`index.mjs`, its source map and
 * license notices) with {@link esbuildOptionsFor}. Synth runs it for each function's asset (GuardFunction's local
 * bundling, infra/constructs/guard-function.ts), in a process of its own because CDK asks for an asset synchronously
 * and esbuild takes plugins only in its asynchronous API.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptionsFor } from '../infra/constructs/function-bundle.js';
import type { FunctionName } from '../infra/table-access.js';

const [name, outdir] = process.argv.slice(2);
if (name === undefined || outdir === undefined) throw new Error('usage: bundle-function.ts FUNCTION OUTDIR');
await build(esbuildOptionsFor(name as FunctionName, join(outdir, 'index.mjs')));
