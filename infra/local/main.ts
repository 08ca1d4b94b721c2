import { resolve } from 'node:path';
import { startLocalRuntime } from './runtime.js';
import { startBanner, startFailure } from './start-messages.js';

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
  const banner = startBanner(runtime, { dataDir, secretFromEnv, gateTokenFromEnv: Boolean(process.env.GATE_TOKEN) });
  for (const line of banner) console.log(line);
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
  console.error(startFailure(error, port));
  process.exit(1);
}
