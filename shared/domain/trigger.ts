import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import { outsiderDecidesRun } from './incident.js';
import { type RepositoryIdentity, repositoryKey } from './repository-key.js';

/**
 * The workflow's input. Kept small (Step Functions state is capped at 256 KB): stages load and store the
 * incident itself in the incidents table by `incidentId`.
 */
const repositorySchema = z.object({
  id: z.number().check(z.int()),
  fullName: z.string().check(z.minLength(3), z.maxLength(200)),
  owner: z.string().check(z.minLength(1), z.maxLength(100)),
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  defaultBranch: z.nullable(z.string().check(z.maxLength(255))),
});

export const githubTriggerSchema = z.object({
  source: z.literal('github'),
  incidentId: z.string().check(z.minLength(1), z.maxLength(80)),
  deliveryId: z.nullable(z.string().check(z.maxLength(100))),
  repository: repositorySchema,
  installationId: z.nullable(z.number().check(z.int())),
  workflowRun: z.object({
    id: z.number().check(z.int()),
    attempt: z.number().check(z.int(), z.positive()),
    name: z.nullable(z.string().check(z.maxLength(300))),
    workflowId: z.nullable(z.number().check(z.int())),
    /**
     * `run_number`: counts the workflow's runs in the repository (a re-run keeps it). Orders runs of one workflow by
     * when they were triggered, whatever order they finish or are delivered in; absent in triggers kept before it was.
     */
    number: z.nullish(z.number().check(z.int(), z.positive())),
    headSha: z.string().check(z.maxLength(64)),
    headBranch: z.nullable(z.string().check(z.maxLength(255))),
    /** The repository the head commit lives in; another id than the repository's means a fork's pull request. */
    headRepositoryId: z._default(z.nullable(z.number().check(z.int())), null),
    event: z.nullable(z.string().check(z.maxLength(100))),
    conclusion: z.string().check(z.maxLength(50)),
    htmlUrl: z.nullable(z.string().check(z.maxLength(500))),
    createdAt: z.nullable(z.string().check(z.maxLength(40))),
    updatedAt: z.nullable(z.string().check(z.maxLength(40))),
  }),
  pullRequests: z.array(z.number().check(z.int(), z.positive())).check(z.maxLength(50)),
  sender: z.nullable(z.string().check(z.maxLength(100))),
  /**
   * Who started this run attempt (`workflow_run.triggering_actor`): for a re-run, whoever asked for it. When it is
   * our own bot, the failure is our automatic re-run's and is not re-run again.
   */
  triggeringActor: z._default(z.nullable(z.string().check(z.maxLength(100))), null),
});
export type GithubTrigger = z.infer<typeof githubTriggerSchema>;

/**
 * GitHub's check runs carry at most 65,535 characters each of summary and text; the trigger is the Step Functions
 * execution input and travels in its state (256 KB of UTF-8 JSON for both), so ingest keeps a bounded part of them
 * (`keepEnds` in shared/ingest/github-webhook.ts). Bounded in characters and in the bytes they take as JSON: a
 * control character is 6 bytes there (`\u0001`), so 48,000 characters of them alone would be 288 KB.
 */
export const MAX_CHECK_SUMMARY_CHARS = 8_000;
export const MAX_CHECK_TEXT_CHARS = 48_000;
export const MAX_CHECK_TITLE_CHARS = 1_000;
export const MAX_CHECK_SUMMARY_JSON_BYTES = 16 * 1024;
export const MAX_CHECK_TEXT_JSON_BYTES = 96 * 1024;

/** The bytes `text` takes in a JSON document (UTF-8, with its quotes and escapes). */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/**
 * `text` cut by `cut` to at most `max` characters and at most `maxJsonBytes` bytes as JSON: text whose characters
 * take several bytes each there (CJK, control characters) keeps fewer of them. Each pass scales the count down by
 * how far over the bytes are (and 5 % more for an omission marker); a few passes at most, since the bytes per
 * character of what is kept change little between them.
 */
export function cutToJsonBytes(text: string, max: number, maxJsonBytes: number, cut: (text: string, max: number) => string): string {
  let kept = cut(text, max);
  for (let limit = Math.min(max, text.length); jsonBytes(kept) > maxJsonBytes && limit > 1; ) {
    limit = Math.max(1, Math.floor((limit * maxJsonBytes * 0.95) / jsonBytes(kept)));
    kept = cut(text, limit);
  }
  return kept;
}

/** A string of at most `maxChars` characters and `maxJsonBytes` bytes as JSON. */
function jsonBoundedString(maxChars: number, maxJsonBytes: number) {
  return z.string().check(z.maxLength(maxChars), z.refine((text) => jsonBytes(text) <= maxJsonBytes, `must take at most ${maxJsonBytes} bytes as JSON`));
}

/** A failed check run from another CI system (CircleCI, Buildkite, …): its output text stands in for a job log. */
export const githubCheckTriggerSchema = z.object({
  source: z.literal('github_check'),
  incidentId: z.string().check(z.minLength(1), z.maxLength(80)),
  deliveryId: z.nullable(z.string().check(z.maxLength(100))),
  repository: repositorySchema,
  installationId: z.nullable(z.number().check(z.int())),
  checkRun: z.object({
    id: z.number().check(z.int()),
    name: z.string().check(z.minLength(1), z.maxLength(300)),
    app: z.object({ slug: z.string().check(z.maxLength(100)), name: z.string().check(z.maxLength(200)) }),
    headSha: z.string().check(z.maxLength(64)),
    headBranch: z.nullable(z.string().check(z.maxLength(255))),
    /**
     * The repository the checked commit lives in: the head repository of a matching pull request of this
     * repository, this repository for a push to one of its branches, null when unknown (GitHub reports a fork's
     * check suite with no branch and no pull requests) — and unknown counts as a fork.
     */
    headRepositoryId: z._default(z.nullable(z.number().check(z.int())), null),
    conclusion: z.string().check(z.maxLength(50)),
    htmlUrl: z.nullable(z.string().check(z.maxLength(500))),
    detailsUrl: z.nullable(z.string().check(z.maxLength(2000))),
    completedAt: z.nullable(z.string().check(z.maxLength(40))),
    output: z.object({
      title: z.nullable(z.string().check(z.maxLength(MAX_CHECK_TITLE_CHARS))),
      summary: z.nullable(jsonBoundedString(MAX_CHECK_SUMMARY_CHARS + 200, MAX_CHECK_SUMMARY_JSON_BYTES)),
      text: z.nullable(jsonBoundedString(MAX_CHECK_TEXT_CHARS + 200, MAX_CHECK_TEXT_JSON_BYTES)),
    }),
  }),
  pullRequests: z.array(z.number().check(z.int(), z.positive())).check(z.maxLength(50)),
  sender: z.nullable(z.string().check(z.maxLength(100))),
});
export type GithubCheckTrigger = z.infer<typeof githubCheckTriggerSchema>;

/** Bounds of the alarm's free text, which ingest redacts (see `redactAlarmText`) and keeps within them. */
export const MAX_ALARM_REASON_CHARS = 4_000;
export const MAX_ALARM_REASON_DATA_CHARS = 16_000;
export const MAX_ALARM_DESCRIPTION_CHARS = 2_000;
export const MAX_ALARM_SUPPRESSED_REASON_CHARS = 1_024;
/**
 * The same in bytes as JSON, and for the parts of the event that are not one text (the metric queries and the rest
 * of the configuration, the tags, the resources after the alarm's own ARN): like a check run's output, the alarm
 * event becomes the execution input, and a control character is 6 bytes there. Within these, ingest's event is at
 * most about 106 KB; the stages refuse one over {@link MAX_ALARM_EVENT_JSON_BYTES}.
 */
export const MAX_ALARM_REASON_JSON_BYTES = 8 * 1024;
export const MAX_ALARM_REASON_DATA_JSON_BYTES = 24 * 1024;
export const MAX_ALARM_DESCRIPTION_JSON_BYTES = 4 * 1024;
export const MAX_ALARM_SUPPRESSED_REASON_JSON_BYTES = 2 * 1024;
export const MAX_ALARM_CONFIGURATION_JSON_BYTES = 24 * 1024;
export const MAX_ALARM_TAGS_JSON_BYTES = 4 * 1024;
export const MAX_ALARM_OTHER_RESOURCES_JSON_BYTES = 4 * 1024;
export const MAX_ALARM_EVENT_JSON_BYTES = 112 * 1024;

/**
 * A CloudWatch alarm state change as EventBridge delivers it. The alarm ingest code wraps the event as
 * `{ trigger: { source: 'cloudwatch', incidentId: 'cw-<hash of alarm ARN and state change time>', event } }`, built by
 * {@link alarmTriggerFromEvent} in the alarm ingest code (the ingest-alarm Lambda, and the local runtime).
 */
export const alarmEventSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  source: z.string().check(z.maxLength(100)),
  account: z.string().check(z.maxLength(20)),
  time: z.string().check(z.maxLength(40)),
  region: z.string().check(z.maxLength(40)),
  resources: z.array(z.string().check(z.maxLength(2048))).check(z.maxLength(10)),
  detail: z.object({
    alarmName: z.string().check(z.minLength(1), z.maxLength(255)),
    state: z.object({
      value: z.string().check(z.maxLength(40)),
      reason: z._default(z.string().check(z.maxLength(MAX_ALARM_REASON_CHARS)), ''),
      reasonData: z.optional(z.string().check(z.maxLength(MAX_ALARM_REASON_DATA_CHARS))),
      timestamp: z.string().check(z.maxLength(40)),
      /** Composite alarms: CloudWatch itself holds the actions back (`Alarm`, `WaitPeriod`, `ExtensionPeriod`). */
      actionsSuppressedBy: z.optional(z.string().check(z.maxLength(40))),
      actionsSuppressedReason: z.optional(z.string().check(z.maxLength(MAX_ALARM_SUPPRESSED_REASON_CHARS))),
    }),
    /** Present while an alarm mute rule mutes the alarm's actions. */
    muteDetail: z.optional(
      z.object({
        mutedByArn: z.optional(z.string().check(z.maxLength(2048))),
        muteWindowStart: z.optional(z.string().check(z.maxLength(40))),
        muteWindowEnd: z.optional(z.string().check(z.maxLength(40))),
      }),
    ),
    /** The alarm's tags, when tag propagation is on for it: the opt-in scope tag is read from here. */
    alarmTags: z.optional(z.record(z.string().check(z.maxLength(128)), z.string().check(z.maxLength(256)))),
    previousState: z.optional(
      z.object({
        value: z.string().check(z.maxLength(40)),
        reason: z.optional(z.string().check(z.maxLength(MAX_ALARM_REASON_CHARS))),
        timestamp: z.optional(z.string().check(z.maxLength(40))),
      }),
    ),
    configuration: z.optional(z.looseObject({
      description: z.nullish(z.string().check(z.maxLength(MAX_ALARM_DESCRIPTION_CHARS))),
      metrics: z.optional(z.array(z.unknown()).check(z.maxLength(20))),
    })),
    // Fields not named here are dropped: nothing reads them, and unredacted they would reach the execution input.
  }),
});
export type AlarmEvent = z.infer<typeof alarmEventSchema>;

/**
 * The state an alarm state change goes to, read as an EventBridge rule's pattern reads an event (`detail-type` and
 * `detail.state.value`, nothing validated): it decides which handler an event goes to, and that handler validates
 * it. Null when the event does not look like an alarm state change.
 */
export function alarmStateChangeOf(event: unknown): string | null {
  const candidate = event as { 'detail-type'?: unknown; detail?: { state?: { value?: unknown } } } | null | undefined;
  if (candidate?.['detail-type'] !== 'CloudWatch Alarm State Change') return null;
  const value = candidate.detail?.state?.value;
  return typeof value === 'string' ? value : null;
}

export const alarmTriggerSchema = z.object({
  source: z.literal('cloudwatch'),
  incidentId: z.string().check(z.minLength(1), z.maxLength(80)),
  event: alarmEventSchema.check(
    z.refine((event) => Buffer.byteLength(JSON.stringify(event)) <= MAX_ALARM_EVENT_JSON_BYTES, `must take at most ${MAX_ALARM_EVENT_JSON_BYTES} bytes as JSON`),
  ),
});
export type AlarmTrigger = z.infer<typeof alarmTriggerSchema>;

export const triggerSchema = z.discriminatedUnion('source', [githubTriggerSchema, githubCheckTriggerSchema, alarmTriggerSchema]);
export type Trigger = z.infer<typeof triggerSchema>;

/**
 * Incident id (and Step Functions execution name) for a GitHub run attempt. Deterministic, so a redelivered
 * webhook maps to the same execution; within the 80-character execution-name limit.
 */
export function githubIncidentId(repositoryId: number, runId: number, runAttempt: number): string {
  return `gh-${repositoryId}-${runId}-${runAttempt}`;
}

/** Incident id for a failed check run of another CI system; a re-requested check is a new check run id. */
export function githubCheckIncidentId(repositoryId: number, checkRunId: number): string {
  return `ghc-${repositoryId}-${checkRunId}`;
}

/** Incident ids as the functions above build them (`gh-…`, `ghc-…`, `cw-…`), for reading one back from a comment. */
export const INCIDENT_ID = /^(?:gh|ghc|cw)-[A-Za-z0-9_-]{1,77}$/;

/** Workflow-run conclusions that mean the run failed (not cancelled, skipped or neutral). */
export const FAILED_RUN_CONCLUSIONS: ReadonlySet<string> = new Set(['failure', 'timed_out', 'startup_failure']);

/** The alarm's ARN from the event (EventBridge puts it in `resources`), or built from account, region and name. */
export function alarmArnOf(event: AlarmEvent): string {
  return event.resources[0] ?? `arn:aws:cloudwatch:${event.region}:${event.account}:alarm:${event.detail.alarmName}`;
}

/**
 * Incident id (and execution name) for an alarm state change: a hash of the alarm ARN and the time of the state
 * change. The same transition delivered twice (an EventBridge retry, a replay) maps to the same execution in AWS
 * as locally; the next transition of the same alarm is a new incident.
 */
export function alarmIncidentId(alarmArn: string, stateChangedAt: string): string {
  return `cw-${createHash('sha256').update(`${alarmArn}\n${stateChangedAt}`).digest('hex').slice(0, 40)}`;
}

/** The pipeline trigger of an alarm event, built by the alarm ingest code in AWS and locally. */
export function alarmTriggerFromEvent(event: AlarmEvent): AlarmTrigger {
  return { source: 'cloudwatch', incidentId: alarmIncidentId(alarmArnOf(event), event.detail.state.timestamp), event };
}

/**
 * Whose code a run or check ran: this repository's own (`null` head means unknown, which is treated as a fork).
 * Part of the recovery key, so a fork's branch called `main` and the repository's `main` never resolve each other.
 */
export interface HeadRepository {
  repositoryId: number;
  headRepositoryId: number | null;
  /**
   * What started the run, when known. A run that may run a fork's code as this repository's (`runsForkCodeAsBase`:
   * a comment on a pull request, `pull_request_target`, `workflow_run`) is reported on the base branch with this
   * repository as its head: its own segment keeps an outsider's green run from resolving the branch's failures. So
   * does a run of an event anyone can cause (`outsiderDecidesRun`: an issue, a star, a review): it runs the branch's own
   * code, but when the outsider chooses, and a workflow's jobs are often conditional on the event, so it can pass with
   * every job skipped.
   */
  event?: string | null;
}

/**
 * The scope segment for a fork's code, or for a run of an event that may run it as ours or that anyone can cause;
 * empty for the repository's own runs, so existing keys stay as they were.
 */
function forkSegment(head: HeadRepository | undefined): string {
  if (!head) return '';
  if (head.headRepositoryId !== head.repositoryId) return `fork-${head.headRepositoryId ?? 'unknown'}:`;
  return outsiderDecidesRun(head.event) ? `event-${head.event}:` : '';
}

/** Whether the code comes from somewhere other than this repository (unknown counts as a fork). */
export function isFork(head: HeadRepository): boolean {
  return head.headRepositoryId !== head.repositoryId;
}

/**
 * The repository's part of a GitHub scope key: GitHub's id when known (`id-<id>`), which a rename or a transfer keeps and
 * no other repository ever gets, else its name in any case (a name holds a slash, so it is never an id's part). Keyed by
 * name, a repository created under a renamed account's old name resolved the old repository's open failures with its
 * green run of the same check, and the renamed repository's own green run no longer found them. Keys by name are still
 * read (`scopesByName`) for the failures recorded under them before.
 */
function scopeRepository(repository: RepositoryIdentity): string {
  return repository.id === null ? repositoryKey(repository.name) : `id-${repository.id}`;
}

/** Scope key used to find the open incidents a recovery resolves. */
export function githubScope(repository: RepositoryIdentity, branch: string | null, workflowId: number | null, head?: HeadRepository): string {
  return `github:${scopeRepository(repository)}:${forkSegment(head)}${branch ?? '-'}:${workflowId ?? '-'}`;
}

/**
 * Scope of a check run from another CI system: the same check (app and name) on the same branch. Names are
 * free text from the payload, so they are hashed into the key.
 */
export function githubCheckScope(
  repository: RepositoryIdentity,
  branch: string | null,
  appSlug: string,
  checkName: string,
  head?: HeadRepository,
): string {
  return `github-check:${scopeRepository(repository)}:${forkSegment(head)}${branch ?? '-'}:${shortHash(`${appSlug}\n${checkName}`)}`;
}

/**
 * What tells one fork's check run apart from another fork's: GitHub names neither the head repository nor the branch
 * of a fork's check, so the pull request found for its commit (`pullRequest`), or, when none can be told for sure,
 * the commit itself (a green run of that very commit resolves it; a fixing commit's only when classify found the
 * pull request for it, see `forkGreenCheckReach` in github-incident.ts).
 */
export type ForkCheckOrigin = { pullRequest: number } | { headRepositoryId: number | null; headSha: string };

/**
 * Scope of a check run on a fork's code: the same check (app and name) of the same pull request, or of the same
 * commit. A branch name never holds ':', so neither key is ever a branch's ({@link githubCheckScope}).
 */
export function githubForkCheckScope(repository: RepositoryIdentity, appSlug: string, checkName: string, origin: ForkCheckOrigin): string {
  const check = shortHash(`${appSlug}\n${checkName}`);
  if ('pullRequest' in origin) return `github-check:${scopeRepository(repository)}:fork-pull-${origin.pullRequest}:-:${check}`;
  return `github-check:${scopeRepository(repository)}:fork-${origin.headRepositoryId ?? 'unknown'}:sha-${origin.headSha.toLowerCase()}:${check}`;
}

export function alarmScope(alarmArn: string): string {
  return `alarm:${alarmArn}`;
}

/** Short stable hash for keys built from untrusted text. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
