/**
 * Names, one-line summaries and usage of the `guard` subcommands, apart from their code: `guard --help` and the
 * dispatch in `index.ts` read these without importing a command's module (`kb` and `experiments` load the AWS
 * SDK, which `guard analyze` must not pay for at start-up).
 */
export const ANALYZE_META = {
  name: 'analyze',
  summary: 'find the lines that explain a failed CI log',
  usage:
    'guard analyze <log-file | -> [--baseline GREEN.log] [--json] [--explain] [--max-failures N] [--context N] [--max-bytes N]\n' +
    '  --baseline      the log of a green run of the same job: lines it also printed rank below new ones\n' +
    '  --json          the structured result (failures, category, confidence, step, rootCause, fix) instead of text\n' +
    '  --explain       also run the configured analyzer (ANALYZER, BEDROCK_MODEL_ID or LLM_BASE_URL; offline by default)\n' +
    '                  and print root cause, fix, confidence, proposed action, tokens and estimated cost\n' +
    '  --max-failures  failures listed, most likely root cause first (default 10)\n' +
    '  --context       lines shown on each side of a failure block (default 3)\n' +
    '  --max-bytes     stop reading the log after this many bytes (default: all of it)',
} as const;

export const EXTRACT_META = {
  name: 'extract',
  summary: 'predict failure lines for every log of a labelled corpus (scorer input)',
  usage:
    'guard extract --corpus <dir> --out <predictions.jsonl> [--max-lines N] [--no-baseline]\n' +
    '  --max-lines    failure lines predicted per log at most (default 400)\n' +
    '  --no-baseline  ignore the green runs: a label record with pass_log_file (a green run of the same job) is\n' +
    '                 otherwise that log\'s baseline',
} as const;

export const KB_META = {
  name: 'kb',
  summary: 'knowledge base: import, export, list and search entries',
  usage: [
    'guard kb import <file.csv|file.json> [--format csv|json] [--quiet]',
    '       guard kb export [--category C] [--scope S]  (JSON array on stdout)',
    '       guard kb list [--category C] [--scope S] [--limit N]',
    '       guard kb search <text> [--category C] [--scope S] [--limit N] [--json]',
    '       guard kb migrate                          (after upgrading past session 48: retires old learned entries, keys old incidents into their history; then import again)',
    '  --scope  also what one repository (repo:<id>, or owner/name) or the alarms (alarms) learned; shared entries only without it',
  ].join('\n'),
} as const;

export const EXPERIMENTS_META = {
  name: 'experiments',
  summary: 'A/B experiments on remediation strategies: create, show, list, stop, promote',
  usage: [
    'guard experiments create <definition.json | ->',
    '       guard experiments show <id> [--json]',
    '       guard experiments list',
    '       guard experiments stop <id>',
    '       guard experiments promote <id> [--variant NAME]',
  ].join('\n'),
} as const;

export const INCIDENTS_META = {
  name: 'incidents',
  summary: 'incidents from the read API (the local runtime, or GUARD_API_URL signed with AWS credentials): list, show; sweep-waits over the tables',
  usage: [
    'guard incidents [list] [--status S] [--repository owner/repo] [--category C] [--source github|cloudwatch] [--since ISO] [--limit N] [--json]',
    '       guard incidents show <id> [--json]',
    '       guard incidents sweep-waits [--dry-run] [--quiet]   (approval waits that failed before session 65: record them failed, page once)',
  ].join('\n'),
} as const;
