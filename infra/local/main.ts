import { resolve } from 'node:path';
import { startLocalRuntime } from './runtime.js';

/** `npm start`: the local runtime on PORT (default 3000), data under GUARD_DATA_DIR (default .guard-data). */
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid PORT ${process.env.PORT}: expected 0-65535`);
  process.exit(2);
}
const dataDir = resolve(process.env.GUARD_DATA_DIR ?? '.guard-data');

const secretFromEnv = Boolean(process.env.GITHUB_WEBHOOK_SECRET);

try {
  const runtime = await startLocalRuntime({ dataDir, port, host: process.env.HOST ?? '127.0.0.1', log: (line) => console.log(line) });
  const github = runtime.env.GITHUB_TOKEN || runtime.env.GITHUB_APP_ID
    ? `GitHub API at ${runtime.env.GITHUB_API_URL ?? 'https://api.github.com'} (${runtime.env.GITHUB_APP_ID ? `GitHub App ${runtime.env.GITHUB_APP_ID}` : 'token'})`
    : 'no GITHUB_TOKEN or GITHUB_APP_ID: job logs from events/recorded-runs.json, comments to the outbox';
  console.log(`Pipeline Guard (local) listening on ${runtime.url}`);
  console.log(`  POST ${runtime.url}/webhooks/github   (secret: ${secretFromEnv ? 'from GITHUB_WEBHOOK_SECRET' : runtime.webhookSecret})`);
  console.log(`  POST ${runtime.url}/events/cloudwatch`);
  console.log(`  dashboard: ${runtime.url}/`);
  console.log(`  GET  ${runtime.url}/incidents?status=&repository=&category=&source=&since=   ${runtime.url}/incidents/{id}   ${runtime.url}/healthz`);
  console.log(`  POST ${runtime.url}/gates/evaluate   ${runtime.url}/experiments   (bearer: ${process.env.GATE_TOKEN ? 'from GATE_TOKEN' : runtime.gateToken})`);
  console.log(`  GET  ${runtime.url}/experiments[/{id}]   ${runtime.url}/metrics[/{owner}/{repo}]   ${runtime.url}/metrics/prometheus   ${runtime.url}/knowledge?q=…`);
  console.log('  guard incidents / kb / experiments find this runtime by themselves (run them from this directory, or set GUARD_DATA_DIR)');
  console.log(`  data: ${dataDir}   outbox: ${runtime.outboxPath}`);
  console.log(`  ${github}`);
  const stop = async () => {
    console.log('stopping…');
    const calls = await runtime.dynamoCalls();
    const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
    console.log(`DynamoDB calls since start: ${total} (${Object.entries(calls).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ')})`);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (error) {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
