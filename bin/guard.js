#!/usr/bin/env node
// Launcher for the TypeScript CLI: runs the prebuilt bundle of shared/cli/main.ts (bin/cli-bundle.js), built
// again here when a source changed, or else the sources through tsx's ESM loader, in this process.
import { bundledCli } from './cli-bundle.js';

const bundle = await bundledCli();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../shared/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
