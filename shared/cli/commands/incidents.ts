import type { IncidentDetail } from '../../api/read-api.js';
import type { Incident } from '../../domain/incident.js';
import { UsageError, intOption, parseArgs, subcommandError } from '../args.js';
import { type CliIO, forTerminal } from '../io.js';
import { join } from 'node:path';
import { NothingToReachError, dataDirOf, findLocalRuntime, isMissingAwsCredentials } from '../local-runtime.js';
import type { Command } from './types.js';
import { INCIDENTS_META } from './meta.js';
import { NotFoundError } from '../../errors.js';
import type { FailedWaitSweepResult } from '../../notify/failed-wait-sweep.js';

/** GET a read-API path; resolves to the status and parsed body. */
export type ApiGet = (path: string, query: Record<string, string>) => Promise<{ status: number; body: unknown }>;

/** Signs with SigV4 for execute-api (the API's IAM authorization), credentials from the default AWS chain. */
async function signedGet(base: URL, path: string, query: Record<string, string>) {
  const [{ SignatureV4 }, { Hash }, { defaultProvider }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/hash-node'),
    import('@aws-sdk/credential-provider-node'),
  ]);
  // https://<id>.execute-api.<region>.amazonaws.com/<stage>/: the region is in the host name.
  const region = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(base.hostname)?.[1] ?? (process.env.AWS_REGION?.trim() || 'us-east-1');
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: defaultProvider(), sha256: Hash.bind(null, 'sha256') });
  const fullPath = `${base.pathname.replace(/\/$/, '')}${path}`;
  let signed: Awaited<ReturnType<typeof signer.sign>>;
  try {
    signed = await signer.sign({ method: 'GET', protocol: base.protocol, hostname: base.hostname, path: fullPath, query, headers: { host: base.host } });
  } catch (error) {
    // The CLI's general answer to a missing credential is about tables and the local runtime, which this path reads neither of.
    if (isMissingAwsCredentials(error)) {
      throw new NothingToReachError(
        'GUARD_API_URL is set, and no AWS credentials were found to sign the request: set them (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for an identity allowed execute-api:Invoke on the read routes, or unset GUARD_API_URL to read the local runtime',
      );
    }
    throw error;
  }
  const url = new URL(fullPath, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return fetch(url, { headers: signed.headers as Record<string, string> });
}

/**
 * The read API the user means: GUARD_API_URL (a deployed stack's ApiUrl output, signed with SigV4), else the local
 * runtime running from this directory.
 */
export const apiFromEnv = (env: Record<string, string | undefined> = process.env): ApiGet => async (path, query) => {
  let response: Response;
  if (env.GUARD_API_URL) {
    if (!URL.canParse(env.GUARD_API_URL)) throw new UsageError(`GUARD_API_URL is not a URL: ${env.GUARD_API_URL}`);
    response = await signedGet(new URL(env.GUARD_API_URL), path, query);
  } else {
    const local = findLocalRuntime(env);
    if (!local) throw new NothingToReachError('no Pipeline Guard API to ask: start the local runtime with "npm start" (in this directory, or set GUARD_DATA_DIR), or set GUARD_API_URL to the stack\'s ApiUrl output');
    const url = new URL(path, local.url);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    // A runtime that listens beyond loopback answers reads only with its GATE_TOKEN.
    response = await fetch(url, env.GATE_TOKEN ? { headers: { authorization: `Bearer ${env.GATE_TOKEN}` } } : {});
    if (response.status === 401) throw new NothingToReachError('the local runtime listens beyond loopback and refused the request (401): set GATE_TOKEN to the token it printed at start');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 403) throw new NothingToReachError(`the API refused the request (403): the AWS identity needs execute-api:Invoke on the read routes`);
  return { status: response.status, body };
};

const FILTERS = ['status', 'repository', 'category', 'source', 'since'] as const;

/** One list row; `idWidth` is the page's longest id (an alarm's, `cw-` and 40 hex digits, is longer than a run's). */
function row(i: Incident, idWidth = 34): string {
  const what = i.alarm?.name ?? [i.repository, i.workflowName, i.branch].filter(Boolean).join(' ');
  return forTerminal(`${i.createdAt.slice(0, 19).replace('T', ' ')}  ${i.id.padEnd(idWidth)}  ${i.status.padEnd(17)}  ${(i.category ?? '-').padEnd(14)}  ${what}`);
}

function render(detail: IncidentDetail): string {
  const lines = [`${detail.id}  ${detail.status}  ${detail.category ?? '-'}  ${detail.runUrl ?? detail.alarm?.name ?? ''}`];
  for (const job of detail.jobs) {
    lines.push('', `job ${job.jobName}${job.step ? ` · step "${job.step.name}"` : ''}${job.url ? ` · ${job.url}` : ''}`);
    if (job.diagnosis) lines.push(`  diagnosis: ${job.diagnosis.rootCause}`);
    for (const failure of job.failures) for (const l of failure.lines) lines.push(`  ${String(l.line).padStart(6)}  ${l.text}`);
  }
  if (detail.analysis) lines.push('', `analysis (${detail.analysis.provider}, confidence ${detail.analysis.confidence.toFixed(2)}): ${detail.analysis.rootCause}`);
  if (detail.decision) lines.push(`decision: ${detail.decision.action}${detail.decision.applied ? ' (applied)' : ''} — ${detail.decision.reason}`);
  if (detail.approval) lines.push(`approval: ${detail.approval.status}${detail.approval.decidedBy ? ` by ${detail.approval.decidedBy}` : ''}`);
  lines.push('', 'timeline:');
  for (const e of detail.timeline) lines.push(`  ${e.at.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(12)}  ${e.title}${e.detail ? ` — ${e.detail}` : ''}`);
  return lines.map(forTerminal).join('\n');
}

/** Runs the sweep of approval waits that failed before session 65 (shared/notify/failed-wait-sweep.ts). */
export type FailedWaitSweepRun = (options: { dryRun: boolean; onPage: (sofar: FailedWaitSweepResult & { scanned: number }) => void }) => Promise<FailedWaitSweepResult>;

/**
 * The sweep over the tables, the escalation topic and GitHub as the functions use them (INCIDENTS_TABLE,
 * ESCALATION_TOPIC_ARN, POLICY_FILE, the GitHub App's settings, with the operator's AWS credentials, which may Scan
 * where no function's role may); with no
 * DYNAMODB_ENDPOINT, the local runtime running from this directory, whose pages go to its outbox. Imported lazily so
 * `guard analyze` does not load the AWS SDK.
 */
export const failedWaitSweepFromEnv = (env: Record<string, string | undefined> = process.env): FailedWaitSweepRun => async (options) => {
  const local = env.DYNAMODB_ENDPOINT ? null : findLocalRuntime(env);
  if (!local && !env.ESCALATION_TOPIC_ARN && !env.OUTBOX_PATH) {
    throw new NothingToReachError(
      `nothing to sweep: no local runtime runs from ${dataDirOf(env)} (start it with "npm start" in this directory, or set GUARD_DATA_DIR to its data ` +
        'directory: the sweep then reads its tables and writes its pages to its outbox), and no deployed stack is named (set AWS credentials and, as the ' +
        "stack's functions have them, INCIDENTS_TABLE, ESCALATION_TOPIC_ARN, POLICY_FILE and the GitHub App's settings, which the sweep edits pull request comments with)",
    );
  }
  const [{ loadConfig }, { createDocumentClient }, deps, { LOCAL_ADAPTERS }, { tokenlessPendingWaits }, { sweepFailedWaits }, { silentLogger }] = await Promise.all([
    import('../../config.js'),
    import('../../stores/dynamo.js'),
    import('../../runtime/deps.js'),
    import('../../runtime/local-adapters.js'),
    import('../../stores/tokenless-waits.js'),
    import('../../notify/failed-wait-sweep.js'),
    import('../../steps/deps.js'),
  ]);
  const config = loadConfig(local
    ? {
        ...env, DYNAMODB_ENDPOINT: local.dynamodbEndpoint, AWS_REGION: local.region, INCIDENTS_TABLE: local.tables.incidents, BASELINES_TABLE: local.tables.baselines,
        EXPERIMENTS_TABLE: local.tables.experiments, OUTBOX_PATH: env.OUTBOX_PATH ?? join(dataDirOf(env), 'outbox.jsonl'),
      }
    : env);
  const client = createDocumentClient({ region: config.AWS_REGION, ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}) });
  // An OUTBOX_PATH (the local runtime's, or one given) is the outbox's file, as the runtime's functions write it.
  // Its pages are in the outbox's file, and the command lists them: echoed too, each page's JSON buried that list.
  const stopLocalAdapters = config.OUTBOX_PATH ? deps.useLocalAdapters(LOCAL_ADAPTERS, { echo: () => undefined }) : () => undefined;
  // Opened on the first comment to rewrite: a sweep with none needs no GitHub access.
  let github: ReturnType<typeof deps.createGitHub> | undefined;
  try {
    return await sweepFailedWaits(tokenlessPendingWaits({ client, tableName: config.INCIDENTS_TABLE }), {
      incidents: deps.createIncidents(config),
      escalations: deps.createEscalations(config),
      githubWriter: () => (github ??= deps.createGitHub(config)),
      escalationLedger: deps.createEscalationLedger(config),
      policyFile: deps.policyFileOf(config),
      clock: () => new Date(),
      logger: silentLogger,
    }, options);
  } finally {
    stopLocalAdapters();
    client.destroy();
  }
};

/** `guard incidents …`: what the guard did, from the read API (local runtime or AWS); `sweep-waits` over the tables. */
export function createIncidentsCommand(api: () => ApiGet = () => apiFromEnv(), sweepWaits: () => FailedWaitSweepRun = () => failedWaitSweepFromEnv()): Command {
  return {
    ...INCIDENTS_META,
    async run(argv: readonly string[], io: CliIO) {
      const [first, ...rest] = argv;
      const sub = first === undefined || first.startsWith('-') ? 'list' : first;
      if (sub === 'sweep-waits') return sweepFailedWaitsCommand(parseArgs(rest, { values: [], flags: ['dry-run', 'quiet'] }).flags, sweepWaits(), io);
      const args = parseArgs(first === sub ? rest : argv, { values: [...FILTERS, 'limit'], flags: ['json'] });
      const get = api();
      const fail = (status: number, body: unknown) => {
        throw new Error(`the API answered ${status}: ${(body as { message?: string } | null)?.message ?? 'no reason given'}`);
      };
      if (sub === 'list') {
        const query: Record<string, string> = { limit: String(intOption(args, 'limit', 50)) };
        for (const f of FILTERS) {
          const value = args.values.get(f);
          if (value) query[f] = value;
        }
        const { status, body } = await get('/incidents', query);
        if (status !== 200) fail(status, body);
        const incidents = body as Incident[];
        if (args.flags.has('json')) io.out(JSON.stringify(incidents, null, 2));
        else if (incidents.length === 0) io.out('no incidents match');
        else {
          const idWidth = Math.max(34, ...incidents.map((incident) => incident.id.length));
          for (const incident of incidents) io.out(row(incident, idWidth));
        }
        return 0;
      }
      if (sub === 'show') {
        const id = args.positionals[0];
        if (!id || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw new UsageError('incidents show needs an incident id');
        const { status, body } = await get(`/incidents/${id}`, {});
        // Not a usage error (exit 2): the command was right, the incident is not there (exit 1, as guard experiments show).
        if (status === 404) throw new NotFoundError(`incident ${id} not found`);
        if (status !== 200) fail(status, body);
        io.out(args.flags.has('json') ? JSON.stringify(body, null, 2) : render(body as IncidentDetail));
        return 0;
      }
      throw subcommandError('incidents', sub, ['list', 'show', 'sweep-waits']);
    },
  };
}

export const incidentsCommand = createIncidentsCommand();

/**
 * `guard incidents sweep-waits [--dry-run]`: once after upgrading from a version before session 65. Exit 1 when some
 * incident could not be paged or recorded (run it again: it finds what is left), 0 otherwise.
 */
async function sweepFailedWaitsCommand(flags: ReadonlySet<string>, run: FailedWaitSweepRun, io: CliIO): Promise<number> {
  const dryRun = flags.has('dry-run');
  const tty = process.stderr.isTTY === true && !flags.has('quiet');
  const done = await run({
    dryRun,
    onPage: (sofar) => {
      if (tty) process.stderr.write(`\rwaits: ${sofar.scanned} items read, ${sofar.paged.length + sofar.recorded.length} failed waits found`);
    },
  });
  if (tty) process.stderr.write('\n');
  const would = dryRun ? 'would record' : 'recorded';
  io.out(`${would} ${done.paged.length + done.recorded.length} approval waits failed (pending without a task token): ${done.paged.length} ${dryRun ? 'would page' : 'paged'} on-call, ` +
    `${done.recorded.length} counted on an open page, paged before, or routed to nobody`);
  for (const id of done.paged) io.out(`  ${dryRun ? 'would page' : 'paged'}  ${id}`);
  if (done.failed.length > 0) {
    io.err(`${done.failed.length} could not be paged or recorded (${done.failed.slice(0, 5).join(', ')}${done.failed.length > 5 ? ', …' : ''}): run it again`);
    if (done.firstError) io.err(`the first one failed with: ${done.firstError}`);
    return 1;
  }
  return 0;
}
