#!/usr/bin/env node
// Launcher for the TypeScript CLI: registers tsx's ESM loader, then runs shared/cli/main.ts in this process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
