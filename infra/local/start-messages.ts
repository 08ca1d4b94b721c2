import type { LocalRuntime } from './runtime.js';

/** What `npm start` prints once the local runtime listens: the routes, and what a client needs to call them. */
export function startBanner(
  runtime: Pick<LocalRuntime, 'url' | 'env' | 'webhookSecret' | 'gateToken' | 'outboxPath'>,
  options: { dataDir: string; secretFromEnv: boolean; gateTokenFromEnv: boolean },
): string[] {
  const { url, env } = runtime;
  const github = env.GITHUB_TOKEN || env.GITHUB_APP_ID
    ? `GitHub API at ${env.GITHUB_API_URL ?? 'https://api.github.com'} (${env.GITHUB_APP_ID ? `GitHub App ${env.GITHUB_APP_ID}` : 'token'})`
    : "no GITHUB_TOKEN or GITHUB_APP_ID: job logs from events/recorded-runs.json (a run it does not list gets its default entry, the sample job's log), comments to the outbox";
  // The bearer token is the runtime's GATE_TOKEN: printed when generated (it is local), named when the caller set it.
  const bearer = options.gateTokenFromEnv ? 'GATE_TOKEN from the environment' : `GATE_TOKEN=${runtime.gateToken}`;
  return [
    `Pipeline Guard (local) listening on ${url}`,
    `  POST ${url}/webhooks/github   (secret: ${options.secretFromEnv ? 'from GITHUB_WEBHOOK_SECRET' : runtime.webhookSecret})`,
    `  POST ${url}/events/cloudwatch`,
    `  dashboard: ${url}/`,
    `  GET  ${url}/incidents?status=&repository=&category=&source=&since=   ${url}/incidents/{id}   ${url}/healthz`,
    `  POST ${url}/gates/evaluate   ${url}/experiments   (Authorization: Bearer $GATE_TOKEN; ${bearer})`,
    `  GET  ${url}/experiments[/{id}]   ${url}/metrics[/{owner}/{repo}]   ${url}/metrics/prometheus   ${url}/knowledge?q=…`,
    `  DYNAMODB_ENDPOINT=${env.DYNAMODB_ENDPOINT}   (the embedded DynamoDB; tables ${env.INCIDENTS_TABLE}, ${env.BASELINES_TABLE}, ${env.EXPERIMENTS_TABLE})`,
    `  SFN_ENDPOINT=${env.SFN_ENDPOINT}   (Step Functions: an e-mailed approval's aws stepfunctions commands name it; SFN_PORT keeps it)`,
    '  guard incidents / kb / experiments find this runtime by themselves (run them from this directory, or set GUARD_DATA_DIR)',
    `  data: ${options.dataDir}   outbox: ${runtime.outboxPath}`,
    `  ${github}`,
  ];
}

/** Why `npm start` could not start, in one line, with what to change when a port is taken (the error names which). */
export function startFailure(error: unknown, ports: { port: number; sfnPort: number }): string {
  const reason = error instanceof Error ? error.message : String(error);
  const failed = error as (NodeJS.ErrnoException & { port?: number }) | null;
  if (failed?.code === 'EADDRINUSE') {
    if (failed.port !== undefined && failed.port === ports.sfnPort && ports.sfnPort !== ports.port) {
      // At its default (PORT + 1) the likeliest holder is another npm start on the same PORT, which holds PORT too:
      // SFN_PORT alone would only move the failure to PORT.
      const another = ports.sfnPort === ports.port + 1
        ? ` another npm start on PORT=${ports.port}? stop what listens there, or set PORT to another port (the Step Functions API moves with it to PORT + 1), or set SFN_PORT to another port`
        : ' stop what listens there, or set SFN_PORT to another port';
      return `could not start: port ${ports.sfnPort} (the Step Functions API) is in use (${reason}):${another} (SFN_PORT=0 for any free port)`;
    }
    const { port } = ports;
    return `could not start: port ${port} is in use (${reason}): stop what listens there, or set PORT to another port (PORT=${port === 3000 ? 3010 : 3000} npm start, or PORT=0 for any free port)`;
  }
  return `could not start: ${reason}`;
}

/** How `npm start`'s stop lines start (`npm run bench:local` reads them). */
export const CALLS_LINE = 'DynamoDB calls since start:';
export const CALLS_BY_FUNCTION_LINE = 'DynamoDB calls by function since start:';

/**
 * What `npm start` prints when stopped: the store's calls since start by operation, then this process's by the
 * function that made them (`name=n, …`, most first; see LocalRuntime.dynamoCallsByFunction).
 */
export function stopLines(byOperation: Record<string, number>, byFunction: Record<string, number>): string[] {
  const total = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
  const listed = (counts: Record<string, number>, join: string) =>
    Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name}${join}${n}`)
      .join(', ');
  return [`${CALLS_LINE} ${total} (${listed(byOperation, ' ')})`, `${CALLS_BY_FUNCTION_LINE} ${listed(byFunction, '=')}`];
}

/** {@link stopLines}' line of calls by function read back; null for any other line. */
export function callsByFunctionOf(line: string): Record<string, number> | null {
  if (!line.startsWith(CALLS_BY_FUNCTION_LINE)) return null;
  const counts: Record<string, number> = {};
  for (const part of line.slice(CALLS_BY_FUNCTION_LINE.length).split(',')) {
    const at = part.lastIndexOf('=');
    if (at > 0) counts[part.slice(0, at).trim()] = Number(part.slice(at + 1));
  }
  return counts;
}
