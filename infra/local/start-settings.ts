import { dataDirOf } from '../../shared/cli/local-runtime.js';
import { blankAsUnset } from '../../shared/config.js';
import { ConfigError } from '../../shared/errors.js';

/** What `npm start` reads from its environment before the runtime starts. */
export interface StartSettings {
  port: number;
  /** The embedded Step Functions API's port (SFN_ENDPOINT), the same at every start unless PORT is 0. */
  sfnPort: number;
  host: string;
  dataDir: string;
  secretFromEnv: boolean;
  gateTokenFromEnv: boolean;
}

/**
 * `npm start`'s own variables: PORT (default 3000), SFN_PORT (default PORT + 1; PORT=0 makes it any free port as
 * well), HOST (default 127.0.0.1) and GUARD_DATA_DIR (default `.guard-data`). A variable set blank counts as unset, as it does for every setting (README, "Configuration"):
 * read as given, `PORT=` listened on a random port (`Number('')` is 0), `HOST=` on every interface, and
 * `GUARD_DATA_DIR=` put the tables in the current directory. Throws {@link ConfigError} for a PORT that is not one.
 */
export function startSettings(given: Record<string, string | undefined>): StartSettings {
  const env = blankAsUnset(given);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid PORT ${env.PORT}: expected 0-65535`);
  // A fixed port, so an approval e-mail's `aws stepfunctions --endpoint-url` commands outlive a restart.
  const sfnPort = Number(env.SFN_PORT ?? (port === 0 ? 0 : port === 65535 ? 65534 : port + 1));
  if (!Number.isInteger(sfnPort) || sfnPort < 0 || sfnPort > 65535) throw new ConfigError(`invalid SFN_PORT ${env.SFN_PORT}: expected 0-65535`);
  if (sfnPort !== 0 && sfnPort === port) throw new ConfigError(`SFN_PORT ${sfnPort} is PORT: the Step Functions API needs a port of its own`);
  return {
    port,
    sfnPort,
    host: env.HOST ?? '127.0.0.1',
    // Read as `guard` reads it to find this runtime: the two must name one directory for every value.
    dataDir: dataDirOf(env),
    secretFromEnv: env.GITHUB_WEBHOOK_SECRET !== undefined,
    gateTokenFromEnv: env.GATE_TOKEN !== undefined,
  };
}
