import type { RemediationAction } from '../domain/incident.js';
import { fingerprintOf } from '../logs/fingerprint.js';
import type { Category } from '../logs/types.js';
import type { KnowledgeEntry } from './entry.js';

interface CuratedSeed {
  /** A representative failure text; masked like a real log line to give the template. */
  sample: string;
  category: Category;
  title: string;
  fix: string[];
  prevention: string;
  action: RemediationAction;
  tags: string[];
}

/**
 * Shipped defaults for the most common CI failures. Transient platform failures recommend a re-run; everything a
 * re-run cannot fix recommends a human fix (comment only). Outcome counters start at zero: confidence is earned
 * from this installation's own incidents (learned entries), never assumed.
 */
const SEEDS: readonly CuratedSeed[] = [
  {
    sample: 'npm ERR! code ERESOLVE npm ERR! ERESOLVE unable to resolve dependency tree npm ERR! Could not resolve dependency: peer react',
    category: 'dependency',
    title: 'npm peer dependency conflict (ERESOLVE)',
    fix: ['Align the conflicting peer dependency versions in package.json', 'Regenerate package-lock.json with the same npm major version CI uses'],
    prevention: 'Pin the npm version in CI (packageManager field or setup-node) and run `npm ci`, never `npm install`, in pipelines.',
    action: 'comment_only',
    tags: ['npm', 'node'],
  },
  {
    sample: 'npm ERR! code E404 npm ERR! 404 Not Found - GET https://registry.npmjs.org/some-package - Not found',
    category: 'dependency',
    title: 'npm package or version not found in the registry (E404/ETARGET)',
    fix: ['Check the package name and version in package.json', 'For private packages, check the registry token configured for CI'],
    prevention: 'Commit the lockfile and use `npm ci`; scope private packages to their registry in .npmrc.',
    action: 'comment_only',
    tags: ['npm'],
  },
  {
    sample: 'ERROR: Could not find a version that satisfies the requirement package==1.2.3 ERROR: No matching distribution found for package==1.2.3',
    category: 'dependency',
    title: 'pip: no matching distribution',
    fix: ['Check that the pinned version exists for the runner\'s Python version and platform', 'Relax or correct the pin in requirements.txt'],
    prevention: 'Pin the Python version in CI to the one the lock/requirements file was produced with.',
    action: 'comment_only',
    tags: ['python', 'pip'],
  },
  {
    sample: 'ModuleNotFoundError: No module named requests',
    category: 'dependency',
    title: 'Python module not installed',
    fix: ['Add the module to requirements (or the extras the tests install)', 'Make sure the install step runs in the same virtualenv as the tests'],
    prevention: 'Install from one lock file in CI and import-check the package in a smoke test.',
    action: 'comment_only',
    tags: ['python'],
  },
  {
    sample: 'src/app.ts(12,5): error TS2322: Type string is not assignable to type number',
    category: 'compilation',
    title: 'TypeScript type error',
    fix: ['Fix the type error at the reported file and line', 'Run `npx tsc --noEmit` locally before pushing'],
    prevention: 'Run the type check in a pre-push hook and keep the TypeScript version pinned.',
    action: 'comment_only',
    tags: ['typescript'],
  },
  {
    sample: 'expect(received).toBe(expected) // Object.is equality Expected: 200 Received: 500 at Object.<anonymous> (src/api.test.ts:42:21)',
    category: 'test_failure',
    title: 'Jest/Vitest assertion failure',
    fix: ['Read the expected/received values and the failing assertion', 'Reproduce with the single test: `npx jest -t "<test name>"`'],
    prevention: 'Keep tests deterministic: fake timers, seeded data, no shared state between tests.',
    action: 'comment_only',
    tags: ['jest', 'vitest', 'javascript'],
  },
  {
    sample: 'FAILED tests/test_api.py::test_create - AssertionError: assert 500 == 200',
    category: 'test_failure',
    title: 'pytest assertion failure',
    fix: ['Run the failing test alone: `pytest tests/test_api.py::test_create -x -vv`', 'Compare the asserted values with the behaviour change in this PR'],
    prevention: 'Isolate test state with fixtures; avoid relying on test order.',
    action: 'comment_only',
    tags: ['python', 'pytest'],
  },
  {
    sample: 'eslint: error Unexpected console statement no-console src/index.ts 10:3 problems (1 error, 0 warnings)',
    category: 'lint',
    title: 'Lint errors',
    fix: ['Run the linter with --fix locally and commit the result', 'Fix the remaining rule violations by hand'],
    prevention: 'Run the linter in a pre-commit hook (lint-staged) so CI never sees unformatted code.',
    action: 'comment_only',
    tags: ['eslint', 'lint'],
  },
  {
    sample: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
    category: 'out_of_memory',
    title: 'Node.js heap out of memory',
    fix: ['Raise the heap: NODE_OPTIONS=--max-old-space-size=4096', 'Split the build or test run (shards) so one process holds less'],
    prevention: 'Track build memory in CI and shard large test suites.',
    action: 'comment_only',
    tags: ['node', 'memory'],
  },
  {
    sample: 'Error: Process completed with exit code 137. Killed',
    category: 'out_of_memory',
    title: 'Process killed by the OOM killer (exit 137)',
    fix: ['Use a larger runner or reduce parallelism (e.g. jest --maxWorkers=2)', 'Check for a memory leak in the step that was killed'],
    prevention: 'Set explicit worker counts in CI instead of defaulting to the number of cores.',
    action: 'comment_only',
    tags: ['memory'],
  },
  {
    sample: 'npm ERR! code ECONNRESET npm ERR! network request to https://registry.npmjs.org failed, reason: socket hang up',
    category: 'network',
    title: 'Registry network error (ECONNRESET/ETIMEDOUT)',
    fix: ['Re-run the failed jobs: registry hiccups are transient', 'If it repeats, check the registry status page or the proxy'],
    prevention: 'Cache dependencies (actions/setup-node cache, actions/cache) so a registry blip does not fail the build.',
    action: 'rerun_failed_jobs',
    tags: ['network', 'npm'],
  },
  {
    sample: 'curl: (6) Could not resolve host: github.com fatal: unable to access https://github.com/org/repo.git/: Could not resolve host',
    category: 'network',
    title: 'DNS resolution failure on the runner',
    fix: ['Re-run the failed jobs', 'If it persists on self-hosted runners, check their DNS configuration'],
    prevention: 'Retry network steps with backoff; prefer cached artifacts over downloads.',
    action: 'rerun_failed_jobs',
    tags: ['network', 'dns'],
  },
  {
    sample: 'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading',
    category: 'infrastructure',
    title: 'Docker Hub pull rate limit',
    fix: ['Re-run later, or log in to Docker Hub in the workflow (docker/login-action)', 'Mirror the image to GHCR or ECR'],
    prevention: 'Pull base images from a registry you control, authenticated.',
    action: 'rerun_failed_jobs',
    tags: ['docker', 'rate-limit'],
  },
  {
    sample: 'System.IO.IOException: No space left on device',
    category: 'infrastructure',
    title: 'Runner disk full (ENOSPC)',
    fix: ['Free space before the build (remove unused toolchains, docker system prune)', 'Use a runner with a larger disk'],
    prevention: 'Clean build outputs between steps and avoid caching large intermediate artifacts.',
    action: 'comment_only',
    tags: ['disk'],
  },
  {
    sample: 'The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.',
    category: 'infrastructure',
    title: 'Runner lost or shut down',
    fix: ['Re-run the failed jobs: the job did not fail on its own'],
    prevention: 'For self-hosted runners, drain before maintenance; for spot capacity, keep jobs short and retryable.',
    action: 'rerun_failed_jobs',
    tags: ['runner'],
  },
  {
    sample: 'The job running on runner has exceeded the maximum execution time of 360 minutes.',
    category: 'timeout',
    title: 'Job exceeded its time limit',
    fix: ['Find the step that hung (compare step durations with a green run)', 'Add timeouts to network calls and tests; set timeout-minutes on the job'],
    prevention: 'Set `timeout-minutes` per job well below the 6 h default so hangs fail fast.',
    action: 'comment_only',
    tags: ['timeout'],
  },
  {
    sample: 'Error: Input required and not supplied: token',
    category: 'configuration',
    title: 'Missing workflow input or secret',
    fix: ['Add the secret or input the action needs (Settings → Secrets and variables → Actions)', 'Fork PRs do not receive secrets: skip the step for forks'],
    prevention: 'Validate required secrets in a first step and fail with a clear message.',
    action: 'comment_only',
    tags: ['secrets', 'configuration'],
  },
  {
    sample: 'found 3 high severity vulnerabilities run `npm audit fix` to fix them, or `npm audit` for details',
    category: 'security_scan',
    title: 'Dependency vulnerabilities reported by the scanner',
    fix: ['Upgrade the affected packages (npm audit fix, or bump the direct dependency)', 'If no fix exists, record an exception with an expiry date'],
    prevention: 'Enable Dependabot security updates so fixes arrive as PRs before the scan fails.',
    action: 'comment_only',
    tags: ['security', 'npm'],
  },
];

function toEntry(seed: CuratedSeed): KnowledgeEntry {
  const { fingerprint, template } = fingerprintOf(seed.sample);
  return {
    fingerprint,
    source: 'curated',
    template,
    category: seed.category,
    title: seed.title,
    fix: seed.fix,
    prevention: seed.prevention,
    action: seed.action,
    attempts: 0,
    successes: 0,
    actions: {},
    seen: 0,
    feedbackUp: 0,
    feedbackDown: 0,
    lastSeen: null,
    tags: seed.tags,
  };
}

export const CURATED_ENTRIES: readonly KnowledgeEntry[] = SEEDS.map(toEntry);

export function curatedForCategory(category: Category | null): KnowledgeEntry[] {
  if (!category || category === 'unknown') return [...CURATED_ENTRIES];
  return CURATED_ENTRIES.filter((entry) => entry.category === category);
}
