/**
 * Where the development sets (`ci-logs-dev`, `ci-logs-gha-dev`, and their `score.py`) are. They are not in this
 * repository: the team's workspace keeps them beside the checkout, as `../shared/datasets`. `GUARD_DATASETS`
 * points elsewhere. Read here only; `npm run quality`, `npm run bench`, `npm run redaction:fp` and the tests that
 * use the sets when present all ask this module.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATASETS_ENV = 'GUARD_DATASETS';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `../shared/datasets` relative to this checkout. */
export const DEFAULT_DATASETS = resolve(ROOT, '..', 'shared', 'datasets');

export interface DatasetsLocation {
  /** Absolute path of the datasets directory. */
  dir: string;
  /** True when GUARD_DATASETS chose it (a missing directory is then the caller's mistake, not a checkout without sets). */
  fromEnv: boolean;
}

/** The datasets directory: GUARD_DATASETS (relative to the working directory) if set, else {@link DEFAULT_DATASETS}. */
export function datasetsLocation(env: Record<string, string | undefined> = process.env): DatasetsLocation {
  const chosen = env[DATASETS_ENV]?.trim();
  return chosen ? { dir: resolve(chosen), fromEnv: true } : { dir: DEFAULT_DATASETS, fromEnv: false };
}

/** What to print when no development set was found at `location`: where it looked and how to point elsewhere. */
export function noDatasetsMessage(location: DatasetsLocation): string {
  const where = location.fromEnv
    ? `${DATASETS_ENV}=${location.dir} holds no development set (ci-logs-dev/labels.jsonl, ci-logs-gha-dev/labels.jsonl)`
    : `no development sets at ${location.dir} (../shared/datasets beside this checkout, where the team's workspace keeps them)`;
  return `${where}; nothing measured. Set ${DATASETS_ENV}=/path/to/datasets to use another directory.`;
}
