import { readFile } from 'node:fs/promises';
import { experimentReport, promoteExperiment, renderExperimentReport } from '../../experiments/report.js';
import { UsageError, parseArgs, subcommandError } from '../args.js';
import type { CliIO } from '../io.js';
import { type LearningFactory, learningFromEnv } from './kb.js';
import { EXPERIMENTS_META } from './meta.js';
import type { Command } from './types.js';

const MAX_DEFINITION_BYTES = 64 * 1024;

async function readDefinition(path: string, io: CliIO): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readAll(io.stdin) : await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  if (Buffer.byteLength(text) > MAX_DEFINITION_BYTES) throw new UsageError(`the definition is larger than ${MAX_DEFINITION_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.length > MAX_DEFINITION_BYTES) break;
  }
  return text;
}

const SUBCOMMANDS: readonly string[] = ['create', 'show', 'list', 'stop', 'promote'];

/** `guard experiments …`: define, inspect, stop and promote A/B experiments. */
export function createExperimentsCommand(factory: LearningFactory = learningFromEnv, clock: () => Date = () => new Date()): Command {
  return {
    ...EXPERIMENTS_META,
    async run(argv: readonly string[], io: CliIO) {
      const [sub, ...rest] = argv;
      const args = parseArgs(rest, { values: ['variant'], flags: ['json'] });
      const id = args.positionals[0];
      // Checked before the runtime is looked for: a typo is told as such, not as a runtime that is not running.
      if (sub === undefined || !SUBCOMMANDS.includes(sub)) throw subcommandError('experiments', sub, SUBCOMMANDS);
      const { experiments } = await factory();
      switch (sub) {
        case 'create': {
          if (!id) throw new UsageError('experiments create needs a definition file (or - for stdin)');
          const experiment = await experiments.create(await readDefinition(id, io), clock());
          io.out(`created experiment ${experiment.id} with variants ${experiment.variants.map((v) => `${v.name} (${v.action}, weight ${v.weight})`).join(', ')}`);
          return 0;
        }
        case 'show': {
          if (!id) throw new UsageError('experiments show needs an id');
          const report = await experimentReport(experiments, id, clock());
          io.out(args.flags.has('json') ? JSON.stringify(report, null, 2) : renderExperimentReport(report));
          return 0;
        }
        case 'list': {
          const all = await experiments.list();
          if (all.length === 0) io.out('no experiments yet: `guard experiments create <definition.json>` starts one');
          for (const e of all) io.out(`${e.id.padEnd(30)}  ${e.status.padEnd(8)}  ${e.variants.map((v) => v.name).join(' vs ')}`);
          return 0;
        }
        case 'stop': {
          if (!id) throw new UsageError('experiments stop needs an id');
          const experiment = await experiments.stop(id, clock());
          // Said because a stop is not a promotion: later incidents get no arm, the rule's winner included.
          io.out(`experiment ${experiment.id} is ${experiment.status}: it assigns no more incidents; \`guard experiments promote ${experiment.id}\` makes a variant the default`);
          return 0;
        }
        case 'promote': {
          if (!id) throw new UsageError('experiments promote needs an id');
          const report = await promoteExperiment(experiments, id, args.values.get('variant'), clock());
          io.out(`promoted ${report.experiment.promotedVariant} of ${id} to the default policy`);
          return 0;
        }
        default:
          throw subcommandError('experiments', sub, SUBCOMMANDS);
      }
    },
  };
}

export const experimentsCommand = createExperimentsCommand();
