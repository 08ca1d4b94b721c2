import * as z from '../zod.js';
import { repositoryReport } from '../baselines/metrics.js';
import { type AnalysisSummary, type Incident, type IncidentSource, type IncidentStatus, approvalAsStands } from '../domain/incident.js';
import { ValidationError } from '../errors.js';
import { experimentReport } from '../experiments/report.js';
import { ExperimentNotFoundError } from '../experiments/store.js';
import type { Learning } from '../knowledge/learning.js';
import { entryReadsAsInstruction } from '../knowledge/lookup.js';
import { KNOWLEDGE_SCOPE_FORM, listEntries, searchEntries } from '../knowledge/search.js';
import { CATEGORIES } from '../logs/types.js';
import type { Clock } from '../ports.js';
import type { IncidentCursor, IncidentStore } from '../stores/incident-store.js';
import { type IncidentListItem, listItemOf } from './list-item.js';
import { type MetricsSummary, type SummaryIncident, summarizeIncidents, summaryIncidentOf } from './summary.js';
import { type TimelineEntry, incidentTimeline } from './timeline.js';

/** A read request as both edges see it: API Gateway's proxy event locally rebuilt by the runtime, or in Lambda. */
export interface ReadRequest {
  method: string;
  path: string;
  query: Readonly<Record<string, string | undefined>>;
}

export interface ReadReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ReadApiDeps {
  incidents: IncidentStore;
  learning: Pick<Learning, 'experiments' | 'baselines' | 'knowledge'>;
  clock: Clock;
}

const STATUSES = ['received', 'classified', 'analyzed', 'awaiting_approval', 'remediated', 'notified', 'resolved'] as const satisfies readonly IncidentStatus[];
const SOURCES = ['github', 'cloudwatch'] as const satisfies readonly IncidentSource[];
/** Incidents one `GET /metrics` reads at most: enough for a busy month, bounded for a Lambda's memory and time. */
const SUMMARY_MAX_INCIDENTS = 5_000;

/**
 * Bytes the incidents of one list page may take in the read-api Lambda's answer, where the body is a JSON string
 * inside JSON (every quote escaped). Lambda refuses an answer over 6 MB (API Gateway then says 502), and `limit=500`
 * of ordinary incidents, or 50 that an outsider's fork runs filled with long log lines, are more than that: a page
 * ends at this budget instead, and its cursor goes on from its last incident. The rest is room for the headers.
 */
const LIST_MAX_BYTES = 5 * 1024 * 1024;

/** The first of `items` whose answer fits in {@link LIST_MAX_BYTES}; always one (an incident is at most 400 KB). */
function fittingPage<T>(items: T[]): T[] {
  let bytes = 0;
  for (let count = 0; count < items.length; count += 1) {
    bytes += Buffer.byteLength(JSON.stringify(JSON.stringify(items[count])));
    if (bytes > LIST_MAX_BYTES && count > 0) return items.slice(0, count);
  }
  return items;
}

const cursorSchema = z.strictObject({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,80}$/)), createdAt: z.iso.datetime() });

/** Cursors are opaque to callers: base64url of the last item's index key. */
export function encodeCursor(cursor: IncidentCursor): string {
  return Buffer.from(JSON.stringify({ id: cursor.id, createdAt: cursor.createdAt })).toString('base64url');
}

/** How far past `now` a cursor's date may be (clocks apart): no incident this API returned was created later. */
const CURSOR_CLOCK_SKEW_MS = 86_400_000;

/**
 * The cursor `text` encodes, read as untrusted: anyone can write one. A date the API cannot have issued (past now
 * and a day of clock skew) is refused here; one from long ago is not, as an expired incident's cursor is one too,
 * and the store's month walk reads every year as written (attack-47 R1: years 0-99 made it answer 500).
 */
export function decodeCursor(text: string, now: Date): IncidentCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('cursor is not one this API returned');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || Date.parse(parsed.data.createdAt) > now.getTime() + CURSOR_CLOCK_SKEW_MS) {
    throw new ValidationError('cursor is not one this API returned');
  }
  return parsed.data;
}

/**
 * A whole-number query parameter. zod's own message for `limit=abc` is "Invalid input: expected number, received NaN",
 * which names a JavaScript value the caller never sent.
 */
const wholeNumber = () => z.coerce.number({ error: 'expected a whole number' }).check(z.int('expected a whole number'));

/**
 * {@link wholeNumber} within `min`..`max`. The bounds carry their own message: without one they took the schema's,
 * so `limit=0` was answered "expected a whole number".
 */
const wholeNumberIn = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return wholeNumber().check(z.gte(min, error), z.lte(max, error));
};

/** Query parameters of `GET /incidents`; unknown ones are refused so a misspelt filter is not silently ignored. */
const listQuerySchema = z.strictObject({
  status: z.optional(z.enum(STATUSES)),
  repository: z.optional(z.string().check(z.regex(/^[\w.-]{1,100}\/[\w.-]{1,100}$/, 'must be owner/repo'))),
  category: z.optional(z.enum([...CATEGORIES, 'unclassified'] as [string, ...string[]])),
  source: z.optional(z.enum(SOURCES)),
  // A union's own message is "Invalid input", which does not say what a date should look like.
  since: z.optional(
    z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'expected a date (2026-11-20) or a date and time with its offset (2026-11-20T10:00:00Z)',
    }),
  ),
  limit: z._default(wholeNumberIn(1, 500), 50),
  cursor: z.optional(z.string().check(z.maxLength(400))),
  // `summary`: each incident as a list row, bounded (the dashboard's list); whole incidents otherwise (the CLI's
  // `incidents list --json` and scripts read them).
  view: z._default(z.enum(['full', 'summary']), 'full'),
});

const metricsQuerySchema = z.strictObject({ days: z._default(wholeNumberIn(1, 90), 14) });
const knowledgeQuerySchema = z.strictObject({
  q: z.optional(z.string().check(z.maxLength(1_000))),
  limit: z.optional(wholeNumberIn(1, 200)),
  // What one repository (`repo:<id>`) or the alarms learned, beside the shared entries: learned entries are per scope.
  scope: z.optional(z.string().check(z.regex(KNOWLEDGE_SCOPE_FORM, 'must be repo:<repository id> or alarms'))),
});

/** `GET /knowledge/scopes`: the scopes that learned something, for the dashboard's choice of whose learned entries to read. */
const knowledgeScopesQuerySchema = z.strictObject({ limit: z._default(wholeNumberIn(1, 200), 200) });

function parse<T extends z.ZodMiniType>(schema: T, query: ReadRequest['query']): z.infer<T> {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw new ValidationError(`unknown query parameter ${issue.keys.join(', ')}`);
  throw new ValidationError(`query parameter ${issue?.path.join('.') || '?'}: ${issue?.message ?? 'invalid'}`);
}

/** What the API says instead of the words of an analysis the log tried to steer. */
export const WITHHELD_ANALYSIS = 'withheld: the log contained text aimed at automated tools, so the analysis model\'s answer is not shown';

/**
 * An analysis as the API shows it. One the log tried to steer (`injection`) keeps its verdict, provider, proposal
 * and accounting but none of the model's words (root cause, fix steps, rationale, prevention, evidence, patch): the
 * PR comment and the escalation never publish them, and the dashboard printed them as the analysis right above its
 * own "its answer is withheld".
 */
function analysisForDisplay(analysis: AnalysisSummary): AnalysisSummary {
  if (!analysis.injection) return analysis;
  const { prevention: _prevention, patch: _patch, ...rest } = analysis;
  return { ...rest, rootCause: WITHHELD_ANALYSIS, fix: [], rationale: WITHHELD_ANALYSIS, evidence: [] };
}

/**
 * Incidents as the API shows them: a pending approval's task token is a credential and stays in the table, and a
 * steered analysis's text is withheld ({@link analysisForDisplay}).
 */
export function forDisplay(incident: Incident): Incident {
  let shown = incident;
  if (shown.approval?.taskToken) shown = { ...shown, approval: { ...shown.approval, taskToken: '[hidden]' } };
  if (shown.analysis?.injection) shown = { ...shown, analysis: analysisForDisplay(shown.analysis) };
  return shown;
}

export type IncidentDetail = Incident & { timeline: TimelineEntry[] };

/** The whole window for `GET /metrics`, read page by page through the month index. */
async function summaryOf(incidents: IncidentStore, days: number, now: Date): Promise<MetricsSummary> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const items: SummaryIncident[] = [];
  let cursor: IncidentCursor | null = null;
  do {
    const page = await incidents.search({ since: from }, 500, cursor);
    items.push(...page.items.map((item) => summaryIncidentOf(approvalAsStands(item, now))));
    cursor = page.next;
  } while (cursor && items.length < SUMMARY_MAX_INCIDENTS);
  return summarizeIncidents(items, { from, to: now, truncated: cursor !== null });
}

const ok = (body: unknown, headers?: Record<string, string>): ReadReply => ({ status: 200, body, ...(headers ? { headers } : {}) });

/**
 * The read side of Pipeline Guard: incidents with their timelines, metrics, experiments and knowledge. One module
 * for both edges — the `read-api` Lambda behind API Gateway (IAM for the CLI, Cognito for the dashboard) and the
 * local runtime's HTTP server — so the routes cannot drift. Resolves to null for a path it does not own.
 */
export function createReadApi(deps: ReadApiDeps) {
  return async function read(request: ReadRequest): Promise<ReadReply | null> {
    const { path } = request;
    const owned = /^\/(incidents|metrics|experiments|knowledge)(\/|$)/.test(path);
    if (!owned) return null;
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    try {
      if (path === '/incidents') {
        const query = parse(listQuerySchema, request.query);
        const page = await deps.incidents.search(
          {
            ...(query.status ? { status: query.status } : {}),
            ...(query.repository ? { repository: query.repository } : {}),
            ...(query.category ? { category: query.category } : {}),
            ...(query.source ? { source: query.source } : {}),
            ...(query.since ? { since: new Date(query.since) } : {}),
          },
          query.limit,
          query.cursor ? decodeCursor(query.cursor, deps.clock()) : null,
        );
        // The body stays the array it has always been; the next page is a header, as GitHub's API does it.
        const now = deps.clock();
        const displayed = page.items.map((item) => forDisplay(approvalAsStands(item, now)));
        const shown = fittingPage<Incident | IncidentListItem>(query.view === 'summary' ? displayed.map(listItemOf) : displayed);
        const last = shown.at(-1);
        const cut = shown.length < page.items.length && last ? { id: last.id, createdAt: last.createdAt } : null;
        const next = cut ? encodeCursor(cut) : page.next ? encodeCursor(page.next) : null;
        return ok(shown, next ? { 'x-next-cursor': next, 'access-control-expose-headers': 'x-next-cursor' } : undefined);
      }
      const incident = /^\/incidents\/([A-Za-z0-9_-]{1,80})$/.exec(path);
      if (incident) {
        const stored = await deps.incidents.get(incident[1] as string);
        if (!stored) return { status: 404, body: { message: `incident ${incident[1]} not found` } };
        const found = approvalAsStands(stored, deps.clock());
        const detail: IncidentDetail = { ...forDisplay(found), timeline: incidentTimeline(found) };
        return ok(detail);
      }
      if (path === '/metrics') {
        const { days } = parse(metricsQuerySchema, request.query);
        return ok(await summaryOf(deps.incidents, days, deps.clock()));
      }
      const repository = /^\/metrics\/([\w.-]{1,100})\/([\w.-]{1,100})$/.exec(path);
      if (repository) return ok(repositoryReport(await deps.learning.baselines.metrics(`${repository[1]}/${repository[2]}`)));
      if (path === '/experiments') return ok(await deps.learning.experiments.list());
      const experiment = /^\/experiments\/([a-z0-9][a-z0-9_-]{0,62})$/.exec(path);
      if (experiment) return ok(await experimentReport(deps.learning.experiments, experiment[1] as string, deps.clock()));
      if (path === '/knowledge') {
        const { q, limit, scope } = parse(knowledgeQuerySchema, request.query);
        // As on pull requests and in prompts, entries whose text reads as an instruction are not shown (`guard kb
        // export` still lists them, for whoever cleans the knowledge base up).
        const entries = (await listEntries(deps.learning.knowledge, undefined, scope)).filter((entry) => !entryReadsAsInstruction(entry));
        return ok(q ? searchEntries(entries, q, limit ?? 20) : entries.slice(0, limit ?? 200));
      }
      if (path === '/knowledge/scopes') {
        const { limit } = parse(knowledgeScopesQuerySchema, request.query);
        return ok(await deps.learning.knowledge.listScopes(limit));
      }
      return null;
    } catch (error) {
      if (error instanceof ValidationError) return { status: 400, body: { message: error.message } };
      if (error instanceof ExperimentNotFoundError) return { status: 404, body: { message: error.message } };
      throw error;
    }
  };
}
