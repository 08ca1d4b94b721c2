import type { KnowledgeSummary, RemediationAction } from '../domain/incident.js';
import type { Category, LogLine } from '../logs/types.js';
import type { AnalysisInput } from '../ports.js';
import type { AnalysisOutcome, OutcomeAnalyzer } from './schema.js';
import { instructionScreenOf } from './injection.js';
import { oneLine } from './text.js';

/**
 * The offline analyzer: no model, no network, same input always gives the same answer. It is the default when
 * no provider is configured and the fallback when one fails, so its answers are computed from the input
 * (category, first failure line, matched rules, knowledge history) rather than canned, and its confidence says
 * how much signal there was.
 */

const FLAKY_CATEGORIES: ReadonlySet<Category> = new Set(['network', 'infrastructure', 'timeout']);
const CODE_CATEGORIES: ReadonlySet<Category> = new Set(['test_failure', 'compilation', 'lint']);
/** Never re-run on history alone: a scan that "passes" on a re-run is not fixed, and an alarm has no run. */
const NEVER_RERUN: ReadonlySet<Category> = new Set(['security_scan']);

/** The offline analyzer never claims certainty: it matches patterns, it does not read the code. */
const MAX_OFFLINE_CONFIDENCE = 0.9;
const EVIDENCE_LINES = 5;
const QUOTE_CHARS = 240;

interface Facts {
  file: string | null;
  fileLine: number | null;
  test: string | null;
  /** A pytest node id (`tests/test_x.py::test_y`) when the line names one. */
  nodeId: string | null;
  code: string | null;
  lintRule: string | null;
  packageName: string | null;
  host: string | null;
  networkError: string | null;
  minutes: number | null;
  advisory: string | null;
  setting: string | null;
}

const SOURCE_FILE =
  /((?:[\w.@+-]+\/)*[\w.@+-]+\.(?:tsx?|jsx?|mjs|cjs|py|go|rs|java|kt|kts|rb|php|cs|c|cc|cpp|h|hpp|swift|scala|vue|svelte|dart|ex|exs|json|ya?ml|toml|tf|sh|gradle))(?:[:(](\d+)(?:[:,]\d+)?\)?)?/;

/**
 * A test's name up to its time at the end of the text, the time optional (group 1): the name starts with a character
 * other than a blank, and its blanks are read only where a character other than a blank or the end follows, so the
 * blanks before the time are read once (session 70: `(.+?)(?:\s+…)?$` tried the time after every character of a run of
 * blanks, and the run again for each: `.ts > ` or `× ` then 1K blanks and a line break took 10-17 s on a loaded machine,
 * now 0.03 ms at 8K; the same match and group over 80,686 texts). Blanks alone after the marker are still read as
 * before: their last one, when it is not a line break.
 */
const TEST_NAME = String.raw`(\S(?:\S|[^\S\n\r\u2028\u2029]+(?=\S|$))*?|[^\S\n\r\u2028\u2029]$)`;
/** Vitest's `src/a.test.ts > suite > name 12ms`. */
export const VITEST_TEST_NAME = new RegExp(String.raw`\.(?:tsx?|jsx?|mjs|cjs)\s+>\s+${TEST_NAME}(?:\s+\d+(?:\.\d+)?\s*m?s)?$`);
/** Jest's and others' `● name`, `✕ name (12 ms)`. */
export const MARKED_TEST_NAME = new RegExp(String.raw`[●✕×✗]\s+${TEST_NAME}(?:\s+\(\d+\s*m?s\))?$`);

function first(pattern: RegExp, text: string, group = 1): string | null {
  const match = pattern.exec(text);
  return match?.[group] ?? null;
}

/** Pulls the specifics a developer needs out of a failure line: which test, file, package, host or setting. */
function extractFacts(text: string): Facts {
  const fileMatch = SOURCE_FILE.exec(text.replace(/https?:\/\/\S+/g, ''));
  const nodeId = first(/(\S+\.py::[\w:[\]\-.]+)/, text);
  const test =
    (nodeId ? nodeId.split('::').slice(1).join('::') : null) ??
    first(/--- FAIL: (\S+)/, text) ??
    first(VITEST_TEST_NAME, text) ??
    first(MARKED_TEST_NAME, text) ??
    first(/\b(\w+Test\w*[.#]\w+)/, text) ??
    first(/^\s*\d+\)\s+(.+)$/, text);
  const minutes = first(/(\d+(?:\.\d+)?)\s*(?:minutes?|mins?)\b/i, text);
  const packageName =
    first(/No matching distribution found for ([\w.[\]=<>~!-]+)/i, text) ??
    first(/No module named ['"]([\w.-]+)['"]/, text) ??
    first(/Cannot find (?:module|package) ['"]([^'"]+)['"]/, text) ??
    first(/404 Not Found - GET \S+?\/((?:@[\w.-]+(?:\/|%2f))?[\w.-]+)\s*(?:-|$)/i, text) ??
    first(/failed to select a version for `([^`]+)`/, text) ??
    first(/missing go\.sum entry for module providing package (\S+)/, text) ??
    first(/(?:peer|dependency|package)\s+['"`]?(@?[\w.-]+(?:\/[\w.-]+)?@[\w.^~<>=*-]+)/i, text);
  return {
    file: fileMatch?.[1] ?? (nodeId ? (nodeId.split('::')[0] ?? null) : null),
    fileLine: fileMatch?.[2] ? Number(fileMatch[2]) : null,
    test: test ? oneLine(test, 160) : null,
    nodeId,
    code: first(/\b(TS\d{4,5}|CS\d{4}|E\d{4}(?=\]))\b/, text) ?? first(/error\[(E\d{4})\]/, text),
    lintRule:
      first(/\s((?:@[\w-]+\/)?[\w-]+\/[\w-]+|[a-z]+(?:-[a-z]+)+)\s*$/, text) ?? first(/\b([A-Z]{1,3}\d{3,4})\b/, text),
    // npm URL-encodes the scope separator in registry paths (@scope%2fname).
    packageName: packageName ? packageName.replace(/%2f/gi, '/') : null,
    host:
      first(/Could not resolve host:?\s*([\w.-]+)/i, text) ??
      first(/(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]+)/, text) ??
      first(/https?:\/\/([^/\s:'"]+)/, text),
    networkError: first(/\b(ECONNRESET|ETIMEDOUT|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|TLS handshake timeout|(?:50[234]) (?:Bad Gateway|Service Unavailable|Gateway Time-?out))\b/i, text),
    minutes: minutes === null ? null : Number(minutes),
    advisory: first(/\b(CVE-\d{4}-\d{4,}|GHSA(?:-[a-z0-9]{4}){3})\b/i, text),
    setting:
      first(/Input required and not supplied:\s*([\w-]+)/i, text) ??
      first(/\b(?:secret|variable|env(?:ironment)? var(?:iable)?)\s+['"`]?([A-Z][A-Z0-9_]{2,})['"`]?/i, text) ??
      first(/\$\{\{\s*(?:secrets|vars|env)\.(\w+)\s*\}\}/, text),
  };
}

/** Command that reproduces the failure locally, by the tool the matched rule names. */
function reproduceCommand(tool: string | null, facts: Facts): string | null {
  const file = facts.file ?? '';
  switch (tool) {
    case 'vitest':
      return `npx vitest run ${file}`.trim();
    case 'jest':
      return facts.test ? `npx jest ${file} -t "${facts.test}"`.replace(/\s+/g, ' ') : `npx jest ${file}`.trim();
    case 'pytest':
      return `pytest ${facts.nodeId ?? file}`.trim();
    case 'go':
      return facts.test ? `go test -run '^${facts.test}$' ./...` : 'go test ./...';
    case 'cargo':
    case 'rust':
      return `cargo test ${facts.test ?? ''}`.trim();
    case 'maven':
    case 'junit':
      return facts.test ? `mvn -Dtest=${facts.test.replace('.', '#')} test` : 'mvn test';
    case 'gradle':
      return facts.test ? `./gradlew test --tests ${facts.test}` : './gradlew test';
    case 'tsc':
    case 'typescript':
      return 'npx tsc --noEmit';
    case 'eslint':
      return `npx eslint ${file}`.trim();
    case 'ruff':
      return `ruff check ${file}`.trim();
    case 'flake8':
      return `flake8 ${file}`.trim();
    case 'mypy':
      return `mypy ${file}`.trim();
    case 'npm':
      return 'npm ci';
    case 'pip':
      return 'pip install -r requirements.txt';
    default:
      return null;
  }
}

interface Plan {
  summary: string;
  fix: string[];
  action: RemediationAction;
  actionReason: string;
}

function where(facts: Facts): string {
  if (!facts.file) return '';
  return ` in ${facts.file}${facts.fileLine ? `:${facts.fileLine}` : ''}`;
}

function planFor(category: Category, tool: string | null, facts: Facts, job: string | null): Plan {
  const reproduce = reproduceCommand(tool, facts);
  const runLocally = reproduce ? `Reproduce locally with \`${reproduce}\`.` : null;
  const jobRef = job ? `job "${job}"` : 'the failed job';
  const steps = (...items: Array<string | null | false>): string[] => items.filter((item): item is string => !!item);
  switch (category) {
    case 'test_failure':
      return {
        summary: `Test ${facts.test ? `"${facts.test}" ` : ''}failed${where(facts)}${tool ? ` (${tool})` : ''}`,
        fix: steps(
          runLocally,
          `Compare the expected and actual values in the assertion${facts.file ? ` in ${facts.file}` : ''} with the change under test.`,
          'Fix the code, or update the test if the new behaviour is intended.',
          'If the test passes locally and fails only in CI, look for order, time or environment dependence.',
        ),
        action: 'comment_only',
        actionReason: 'a failing test needs a code or test change, which a re-run does not provide',
      };
    case 'compilation':
      return {
        summary: `Compilation failed${where(facts)}${facts.code ? ` with ${facts.code}` : ''}${tool ? ` (${tool})` : ''}`,
        fix: steps(
          runLocally,
          `Open ${facts.file ? `${facts.file}${facts.fileLine ? ` at line ${facts.fileLine}` : ''}` : 'the reported location'} and fix the ${facts.code ? `${facts.code} ` : ''}error.`,
          'Check recent changes to shared types, signatures or imports used there.',
          'Make sure the CI toolchain version matches the one used locally.',
        ),
        action: 'comment_only',
        actionReason: 'a compile error is deterministic and needs a code change',
      };
    case 'lint':
      return {
        summary: `Lint check failed${where(facts)}${facts.lintRule ? ` on rule ${facts.lintRule}` : ''}${tool ? ` (${tool})` : ''}`,
        fix: steps(
          runLocally,
          `Fix the reported ${facts.lintRule ? `${facts.lintRule} ` : ''}violation${facts.file ? ` in ${facts.file}` : ''}, or run the linter's auto-fix.`,
          'If the rule is wrong for this code, disable it locally with a comment that says why.',
        ),
        action: 'comment_only',
        actionReason: 'lint violations need a code change',
      };
    case 'dependency':
      return {
        summary: `Dependency installation failed${facts.packageName ? ` for ${facts.packageName}` : ''}`,
        fix: steps(
          facts.packageName
            ? `Check that ${facts.packageName} exists at the requested version and is reachable from CI (private registry credentials, yanked versions).`
            : 'Check which package could not be resolved and whether the requested version exists.',
          'Regenerate the lockfile locally and commit it if the manifest changed.',
          runLocally ?? 'Install from a clean checkout locally to reproduce.',
          'Align peer dependency ranges if the resolver reports a conflict.',
        ),
        action: 'comment_only',
        actionReason: 'an unresolvable dependency usually needs a manifest or lockfile change',
      };
    case 'infrastructure':
      return {
        summary: 'The runner or CI infrastructure failed rather than the code',
        fix: steps(
          'Re-run the failed jobs; runner loss and service hiccups are usually transient.',
          'If it repeats, check the GitHub status page and the self-hosted runner fleet (disk, agent version).',
        ),
        action: 'rerun_failed_jobs',
        actionReason: 'infrastructure failures are usually transient',
      };
    case 'timeout':
      return {
        summary: `${jobRef.charAt(0).toUpperCase()}${jobRef.slice(1)} exceeded its time limit${facts.minutes ? ` of ${facts.minutes} minutes` : ''}`,
        fix: steps(
          'Re-run the failed jobs in case the runner was slow.',
          'Compare the step durations with earlier successful runs to find the step that hung.',
          'Look for tests or scripts waiting on input, a lock or a network call without a timeout.',
          'Raise `timeout-minutes` only if the work has legitimately grown.',
        ),
        action: 'rerun_failed_jobs',
        actionReason: 'timeouts are often caused by slow or overloaded runners',
      };
    case 'out_of_memory':
      return {
        summary: `${jobRef.charAt(0).toUpperCase()}${jobRef.slice(1)} ran out of memory`,
        fix: steps(
          'Find the step whose memory grew (the last step before the kill).',
          'Lower parallelism (test workers, build threads) or raise the heap limit, e.g. `NODE_OPTIONS=--max-old-space-size=4096`.',
          'Use a larger runner if the workload needs it.',
          'Check the change for leaks or unbounded data loaded into memory.',
        ),
        action: 'comment_only',
        actionReason: 'memory exhaustion tends to repeat until the workload or runner changes',
      };
    case 'network':
      return {
        summary: `A network request failed${facts.host ? ` (${facts.host})` : ''}${facts.networkError ? ` with ${facts.networkError}` : ''}`,
        fix: steps(
          'Re-run the failed jobs; connection resets and DNS errors are usually transient.',
          facts.host ? `If it repeats, check the status of ${facts.host} and whether the runner can reach it.` : 'If it repeats, check the status of the remote service.',
          'Add retries with backoff to the download or API call, or cache the dependency.',
        ),
        action: 'rerun_failed_jobs',
        actionReason: 'network errors are usually transient',
      };
    case 'security_scan':
      return {
        summary: `A security scan reported findings${facts.advisory ? ` (${facts.advisory})` : ''}`,
        fix: steps(
          facts.advisory ? `Read the advisory ${facts.advisory} and the affected package versions.` : 'Read the scanner report for the affected packages and severities.',
          'Upgrade or replace the affected dependency, or apply the vendor fix.',
          'If it is a false positive, record a reviewed suppression with an expiry date.',
        ),
        action: 'escalate',
        actionReason: 'security findings need a human decision',
      };
    case 'configuration':
      return {
        summary: `The workflow or build configuration is invalid${facts.setting ? `: ${facts.setting} is missing or wrong` : ''}`,
        fix: steps(
          facts.setting
            ? `Check that ${facts.setting} is defined for this repository and environment (secrets and variables are not passed to workflows from forks).`
            : 'Check the workflow file and required inputs, secrets and variables.',
          'Validate the workflow syntax (e.g. with actionlint) and compare with the last successful run.',
        ),
        action: 'comment_only',
        actionReason: 'configuration errors need a change to the workflow or repository settings',
      };
    case 'unknown':
      return {
        summary: 'The job failed without a recognized error pattern',
        fix: steps(
          `Open the log of ${jobRef} and read the lines just before the failure.`,
          'Compare with the last successful run of the same workflow to see what changed.',
        ),
        action: 'comment_only',
        actionReason: 'the failure is not recognized, so only a report is safe',
      };
  }
}

/** The diagnosis' rule-specific steps first, then the category's own (a reproduce command), without repeats. */
function mergeFix(specific: readonly string[], general: readonly string[], determined: boolean): string[] {
  const steps = determined ? [...specific, ...general.filter((step) => step.startsWith('Reproduce locally'))] : [...specific, ...general];
  return [...new Set(steps)].slice(0, 6);
}

function rate(stats: { attempts: number; successes: number } | undefined): { rate: number; attempts: number; successes: number } | null {
  if (!stats || stats.attempts <= 0) return null;
  const successes = Math.min(stats.successes, stats.attempts);
  // Laplace smoothing: one success out of one attempt is promising, not proof.
  return { rate: (successes + 1) / (stats.attempts + 2), attempts: stats.attempts, successes };
}

function round(value: number): number {
  return Math.round(Math.min(MAX_OFFLINE_CONFIDENCE, Math.max(0, value)) * 100) / 100;
}

function knowledgeNote(knowledge: KnowledgeSummary | null): string | null {
  if (!knowledge || knowledge.seenBefore <= 0) return null;
  return `seen ${knowledge.seenBefore} time(s) before`;
}

function analyzeAlarm(input: AnalysisInput, alarm: NonNullable<AnalysisInput['alarm']>): AnalysisOutcome {
  const metric = alarm.metric ? `${alarm.namespace ? `${alarm.namespace}/` : ''}${alarm.metric}` : null;
  const reason = oneLine(alarm.reason, QUOTE_CHARS);
  const factors: string[] = [];
  // An alarm names a symptom (a metric crossed a threshold), not a cause, so confidence starts low.
  let confidence = metric && reason ? 0.4 : 0.3;
  factors.push(metric && reason ? 'alarm with metric and reason' : 'alarm without metric or reason');
  const seen = knowledgeNote(input.knowledge);
  if (seen) {
    confidence += 0.05;
    factors.push(seen);
  }
  let action: RemediationAction = 'escalate';
  let actionReason = 'a production alarm without a known fix needs a human';
  const runbook = rate(input.knowledge?.actionOutcomes.run_runbook);
  if (runbook && runbook.successes > 0 && runbook.rate >= 0.5) {
    action = 'run_runbook';
    actionReason = `the runbook recovered this alarm ${runbook.successes} of ${runbook.attempts} time(s)`;
    confidence = Math.max(confidence, 0.4 + 0.5 * runbook.rate);
    factors.push('runbook history');
  }
  const lines = [...input.failureLines, ...input.jobs.flatMap((job) => job.lines)].map((line) => line.text);
  const readsAsInstruction = instructionScreenOf(input);
  const evidence = [...new Set([...(alarm.reason.trim() ? [alarm.reason] : []), ...lines])]
    .filter((text) => !readsAsInstruction(text))
    .slice(0, EVIDENCE_LINES);
  const confidenceValue = round(confidence);
  return {
    rootCause:
      `CloudWatch alarm "${oneLine(alarm.name, 200)}" went to ${alarm.state}` +
      `${alarm.previousState ? ` from ${alarm.previousState}` : ''} at ${alarm.stateChangedAt}` +
      `${metric ? ` on ${metric}${alarm.threshold !== null ? ` (threshold ${alarm.threshold})` : ''}` : ''}: "${reason}".`,
    fix: [
      `Open the ${metric ?? 'alarm'} graph around ${alarm.stateChangedAt} and find what changed (deploys, traffic, dependencies).`,
      'Check recent deployments to the affected service and roll back if one lines up with the alarm.',
      `Check the service logs in ${alarm.region} for errors starting at that time.`,
      ...(action === 'run_runbook' ? ['Run the runbook that recovered this alarm before and confirm the alarm returns to OK.'] : []),
    ],
    confidence: confidenceValue,
    proposedAction: action,
    rationale: `Offline analysis of the alarm state change; proposed ${action} because ${actionReason}; confidence ${confidenceValue} from ${factors.join(', ')}.`,
    evidence,
    provider: 'offline',
    model: null,
  };
}

/**
 * Deterministic analysis of one incident. Exposed for the CLI and tests; {@link createOfflineAnalyzer} wraps it
 * in the {@link Analyzer} port.
 */
export function analyzeOffline(input: AnalysisInput): AnalysisOutcome {
  if (input.alarm) return analyzeAlarm(input, input.alarm);

  const allLines: LogLine[] = input.failureLines.length > 0 ? input.failureLines : input.jobs.flatMap((job) => job.lines);
  // A line written to steer a model explains nothing about the failure; it is neither quoted nor evidence,
  // unless it is all there is.
  // Read through the analysis's screen, which keeps each reading for the injection verdict's read of the same lines.
  const readsAsInstruction = instructionScreenOf(input);
  const honest = allLines.filter((line) => !readsAsInstruction(line.text));
  const lines = honest.length > 0 ? honest : allLines;
  const firstLine = lines[0] ?? null;
  const job = (firstLine && input.jobs.find((candidate) => candidate.lines.some((line) => line.text === firstLine.text))) ?? input.jobs[0] ?? null;
  const category: Category = input.category ?? job?.category ?? 'unknown';
  const rule = job?.rules[0] ?? null;
  const tool = rule ? (rule.split('.')[0] ?? null)?.toLowerCase() ?? null : null;
  const facts = extractFacts(firstLine?.text ?? '');
  const jobName = job ? oneLine(job.name, 120) : null;
  const plan = planFor(category, tool, facts, jobName);

  // The log engine's diagnosis of the job: a sentence written from the evidence and a confidence calibrated on
  // real logs. A sentence that quotes text aimed at automation is not repeated.
  const diagnosis = job?.diagnosis && !readsAsInstruction(job.diagnosis.rootCause) ? job.diagnosis : null;

  const factors: string[] = [];
  let confidence: number;
  if (!firstLine) {
    confidence = 0.15;
    factors.push('no failure lines');
  } else if (diagnosis) {
    confidence = diagnosis.confidence;
    factors.push(diagnosis.determined ? `log evidence${rule ? ` (rule ${rule})` : ''}, calibrated` : 'weak log evidence, calibrated');
  } else if (category === 'unknown') {
    confidence = 0.25;
    factors.push('no recognized pattern');
  } else if (rule) {
    confidence = 0.65;
    factors.push(`rule ${rule} matched`);
  } else {
    confidence = 0.45;
    factors.push('category without a specific rule');
  }
  if (firstLine && input.jobs.length > 1 && input.jobs.every((candidate) => candidate.category === category)) {
    confidence += 0.05;
    factors.push(`all ${input.jobs.length} failed jobs agree`);
  }
  const seen = knowledgeNote(input.knowledge);
  if (seen && firstLine) {
    confidence += 0.05;
    factors.push(seen);
  }

  let action = plan.action;
  let actionReason = plan.actionReason;
  let fix = diagnosis ? mergeFix(diagnosis.fix, plan.fix, diagnosis.determined) : plan.fix;
  if (!firstLine) {
    action = 'escalate';
    actionReason = 'no failure lines could be extracted, so nothing supports an automatic action';
  } else if (diagnosis && !diagnosis.determined && category === 'unknown') {
    action = 'escalate';
    actionReason = 'the root cause could not be determined from the log, so a human should read it';
  }
  const reruns = rate(input.knowledge?.actionOutcomes.rerun_failed_jobs);
  if (firstLine && reruns && !NEVER_RERUN.has(category)) {
    if (reruns.successes > 0 && reruns.rate >= 0.5) {
      if (action !== 'rerun_failed_jobs') {
        fix = ['Re-run the failed jobs: earlier re-runs fixed this failure, which points to a flaky test or environment.', ...fix];
      }
      action = 'rerun_failed_jobs';
      actionReason = `re-runs fixed this failure ${reruns.successes} of ${reruns.attempts} time(s) before`;
      confidence = Math.max(confidence, 0.4 + 0.5 * reruns.rate);
      factors.push('re-run history');
    } else if (reruns.successes === 0 && reruns.attempts >= 2 && FLAKY_CATEGORIES.has(category)) {
      action = 'escalate';
      actionReason = `re-runs did not fix this failure in ${reruns.attempts} earlier attempts`;
      factors.push('failed re-run history');
    }
  }

  const quote = firstLine ? oneLine(firstLine.text, QUOTE_CHARS) : null;
  const inJob = jobName ? ` in job "${jobName}"` : '';
  const rootCause = diagnosis
    ? diagnosis.rootCause
    : quote
      ? `${plan.summary}${inJob}; the first failure line (log line ${firstLine?.line}) is: "${quote}".`
      : `The run failed${inJob}, but no failure lines could be extracted from the log.`;
  const evidence = [...new Set(honest.map((line) => line.text).filter((text) => text.trim() !== ''))].slice(0, EVIDENCE_LINES);
  const confidenceValue = round(confidence);
  const kind = CODE_CATEGORIES.has(category) ? 'code failure' : FLAKY_CATEGORIES.has(category) ? 'likely transient failure' : `${category} failure`;
  return {
    rootCause,
    fix,
    confidence: confidenceValue,
    proposedAction: action,
    rationale:
      `Offline analysis of a ${kind}${rule ? ` matched by ${rule}` : ''}; proposed ${action} because ${actionReason}; ` +
      `confidence ${confidenceValue} from ${factors.join(', ')}.`,
    evidence,
    provider: 'offline',
    model: null,
  };
}

export interface OfflineAnalyzerOptions {
  /** Monotonic milliseconds, for latency (default `performance.now`). */
  now?: () => number;
}

/** The offline analyzer as an {@link Analyzer}: provider `offline`, model null. Never throws on valid input. */
export function createOfflineAnalyzer(options: OfflineAnalyzerOptions = {}): OutcomeAnalyzer {
  const now = options.now ?? (() => performance.now());
  return {
    provider: 'offline',
    model: null,
    async analyze(input) {
      const started = now();
      const outcome = analyzeOffline(input);
      return { ...outcome, latencyMs: Math.max(0, Math.round(now() - started)) };
    },
  };
}
