import { ConfigError } from '../../shared/errors.js';
import { startLocalRuntime } from './runtime.js';
import { startBanner, startFailure, stopLines } from './start-messages.js';
import { type StartSettings, startSettings } from './start-settings.js';

/** `npm start`: the local runtime on PORT (default 3000), data under GUARD_DATA_DIR (default .guard-data). */
let settings: StartSettings;
try {
  settings = startSettings(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { port, sfnPort, host, dataDir, secretFromEnv, gateTokenFromEnv } = settings;

try {
  const runtime = await startLocalRuntime({ dataDir, port, workflowPort: sfnPort, host, log: (line) => console.log(line) });
  const banner = startBanner(runtime, { dataDir, secretFromEnv, gateTokenFromEnv });
  for (const line of banner) console.log(line);
  const stop = async () => {
    console.log('stopping…');
    for (const line of stopLines(await runtime.dynamoCalls(), runtime.dynamoCallsByFunction())) console.log(line);
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (error) {
  console.error(startFailure(error, { port, sfnPort }));
  process.exit(1);
}
