import { analyzeCommand } from './analyze.js';
import { experimentsCommand } from './experiments.js';
import { extractCommand } from './extract.js';
import { incidentsCommand } from './incidents.js';
import { kbCommand } from './kb.js';
import type { Command } from './types.js';

export type { Command } from './types.js';

/** The `guard` command table. Add a subcommand by appending its {@link Command} here. */
export const COMMANDS: readonly Command[] = [analyzeCommand, extractCommand, kbCommand, experimentsCommand, incidentsCommand];
