import { type ComponentChildren, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiGet } from './api.js';
import { BarChart, IntervalBar, LineChart } from './charts.js';
import { webLink } from './links.js';
import { type OlderPages, listRows, noOlderPages, withFirstPage, withOlderPage } from './incident-list.js';
import { emptyKnowledgeText, entryOrigin, scopeLabel } from './knowledge-view.js';
import { nextStep } from './next-step.js';
import { DataTable } from './table.js';
import { CATEGORIES as CATEGORY_LIST } from '../../../shared/logs/types.js';
import type { Experiment, ExperimentReport, Incident, IncidentListItem, JobFailureSummary, KnowledgeEntry, LearnedScope, MetricsSummary, TimelineEntry } from './types.js';

const STATUSES = ['received', 'classified', 'analyzed', 'awaiting_approval', 'remediated', 'notified', 'resolved'];
const SOURCES = ['github', 'cloudwatch'];
/** Live refresh of lists and the open incident. */
const REFRESH_MS = 5_000;

/**
 * Set when the route changes: the next page heading to appear takes the focus. The link a keyboard or screen-reader
 * user followed is gone with the page it was on, and the focus would fall back to the document's start.
 */
let headingTakesFocus = false;

/** Hash routes keep the site a set of static files: S3 and the local runtime serve only `/`. */
function useRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const update = () => {
      headingTakesFocus = true;
      setHash(location.hash || '#/');
    };
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return hash.slice(1);
}

interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** When `data` was read: a failed refresh keeps it, and the page says how old it is. */
  readAt: string | null;
}

/**
 * Loads `load()` now and again whenever `deps` change (and every REFRESH_MS when `live`). What was loaded for other
 * `deps` is never returned: a page kept across a route change (one incident's page opened from another's) would
 * otherwise show the incident it left under the address of the one asked for, also when that one fails to load.
 */
function useData<T>(load: () => Promise<T>, deps: unknown[], live = false): Loaded<T> {
  const key = JSON.stringify(deps);
  const [state, setState] = useState<Loaded<T> & { key: string }>({ key, data: null, error: null, readAt: null });
  // Run again when `live` changes too: the list's "live" box turns the refresh off and on.
  useEffect(() => {
    let active = true;
    const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
    const run = () =>
      load().then(
        (data) => active && setState({ key, data, error: null, readAt: new Date().toISOString() }),
        (error: unknown) =>
          active && setState((s) => (s.key === key ? { ...s, error: message(error) } : { key, data: null, error: message(error), readAt: null })),
      );
    void run();
    // A tab nobody looks at does not refresh (a phone's data, the API's requests); it catches up when shown.
    const refresh = () => {
      if (document.visibilityState === 'visible') void run();
    };
    const timer = live ? setInterval(refresh, REFRESH_MS) : undefined;
    if (live) document.addEventListener('visibilitychange', refresh);
    return () => {
      active = false;
      if (timer) clearInterval(timer);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [key, live]);
  return state.key === key ? state : { data: null, error: null, readAt: null };
}

/**
 * A time in the reader's zone, named: the alarm text, GitHub and the e-mail say UTC, and a reader comparing them at
 * 3 a.m. must not have to guess which zone "10:03" is in.
 */
const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });
const when = (iso: string | null | undefined) => {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME_FORMAT.format(date);
};

/** {@link when} as a `<time>` whose tooltip is the exact instant in UTC. */
function Time({ iso }: { iso: string | null | undefined }) {
  return iso ? (
    <time dateTime={iso} title={iso}>
      {when(iso)}
    </time>
  ) : (
    <>—</>
  );
}
const duration = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? '—' : seconds < 120 ? `${seconds} s` : seconds < 7200 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;
const pct = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** A page's heading: it names the browser tab (history, tab switcher, screen readers) and takes the focus after a route change. */
function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Pipeline Guard`;
  }, [title]);
  useEffect(() => {
    if (!headingTakesFocus) return;
    headingTakesFocus = false;
    heading.current?.focus();
  }, []);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}

function Status({ status }: { status: string }) {
  return <span class={`status status-${status}`}>{status.replace('_', ' ')}</span>;
}

/**
 * What went wrong loading a page. With `readAt` the page still shows what an earlier read returned: the on-call
 * reader must know it is not live (the API is down, the sign-in expired) before acting on a status it shows.
 */
function Problem({ error, readAt = null }: { error: string | null; readAt?: string | null }) {
  if (!error) return null;
  return (
    <p class="problem" role="alert">
      {readAt ? `Not up to date: ${error}. Shown as read at ${when(readAt)}.` : error}
    </p>
  );
}

/** Shown until a page's first answer: on a slow phone connection a blank page reads as a broken one. */
function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      loading {what}…
    </p>
  );
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <label>
      {label}
      <select name={label} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** An incident's name: its alarm's, else its repository, workflow and branch (the list's rows and its page alike). */
function titleOf(alarmName: string | null | undefined, { id, repository, workflowName, branch }: Pick<IncidentListItem, 'id' | 'repository' | 'workflowName' | 'branch'>): string {
  if (alarmName) return alarmName;
  return [repository, workflowName, branch && `on ${branch}`].filter(Boolean).join(' · ') || id;
}

const title = (incident: Incident) => titleOf(incident.alarm?.name, incident);

function IncidentsPage() {
  const [filters, setFilters] = useState({ status: '', source: '', category: '', repository: '' });
  const [search, setSearch] = useState('');
  const [live, setLive] = useState(true);
  // A pasted name keeps its spaces; a partly typed one is not applied, and the form says so (not a silent 'all').
  const repository = filters.repository.trim();
  const repositoryApplies = /^[\w.-]+\/[\w.-]+$/.test(repository);
  const query = { ...filters, repository: repositoryApplies ? repository : '', limit: '50' };
  const key = JSON.stringify(query);
  const { data, error, readAt } = useData(() => apiGet<IncidentListItem[]>('/incidents', { ...query, view: 'summary' }), [query], live);
  const [olderState, setOlder] = useState<OlderPages<IncidentListItem>>(() => noOlderPages(key));
  const older = olderState.key === key ? olderState : noOlderPages(key);
  const [more, setMore] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const first = data?.body ?? [];
  const cursor = older.cursor ?? data?.headers.get('x-next-cursor') ?? null;
  useEffect(() => {
    if (data) setOlder((state) => withFirstPage(state, key, data.body));
  }, [data]);
  const loadOlder = async () => {
    if (!cursor || more.loading) return;
    setMore({ loading: true, error: null });
    setOlder((state) => (state.key === key ? state : noOlderPages(key)));
    try {
      const page = await apiGet<IncidentListItem[]>('/incidents', { ...query, view: 'summary', cursor });
      setOlder((state) => withOlderPage(state, key, first, page.body, page.headers.get('x-next-cursor')));
      setMore({ loading: false, error: null });
    } catch (error: unknown) {
      setMore({ loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  const needle = search.trim().toLowerCase();
  const loaded = listRows(first, older.items);
  const rows = loaded.filter(
    (i) => !needle || [i.id, titleOf(i.alarmName, i), i.category, i.status, i.rootCause, ...i.failureLines].join('\n').toLowerCase().includes(needle),
  );
  const set = (key: keyof typeof filters) => (value: string) => setFilters({ ...filters, [key]: value });
  return (
    <section>
      <PageHeading title="Incidents" />
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="status" value={filters.status} options={STATUSES} onChange={set('status')} />
        <Select label="source" value={filters.source} options={SOURCES} onChange={set('source')} />
        <Select label="category" value={filters.category} options={[...CATEGORY_LIST]} onChange={set('category')} />
        <label>
          repository
          <input
            name="repository"
            placeholder="owner/repo"
            value={filters.repository}
            aria-invalid={repository !== '' && !repositoryApplies}
            aria-describedby={repository !== '' && !repositoryApplies ? 'repository-hint' : undefined}
            onInput={(e) => set('repository')((e.target as HTMLInputElement).value)}
          />
          {repository !== '' && !repositoryApplies ? (
            <span id="repository-hint" class="problem">
              not applied: a repository is owner/repo
            </span>
          ) : null}
        </label>
        <label>
          search
          <input name="search" type="search" placeholder="text in the failure, root cause, id…" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={live} onChange={(e) => setLive((e.target as HTMLInputElement).checked)} /> live
        </label>
      </form>
      <Problem error={error} readAt={data ? readAt : null} />
      {!data && !error ? <Loading what="incidents" /> : null}
      <DataTable
        class="incidents"
        rows={rows}
        rowKey={(i) => i.id}
        rowAttributes={(i) => ({ 'data-incident': i.id })}
        columns={[
          { header: 'created', cell: (i) => <Time iso={i.createdAt} /> },
          {
            header: 'incident',
            wrap: true,
            cell: (i) => (
              <>
                <a href={`#/incidents/${i.id}`}>{titleOf(i.alarmName, i)}</a>
                <div class="muted">{i.failureLines[0] ?? i.id}</div>
              </>
            ),
          },
          { header: 'category', cell: (i) => i.category ?? '—' },
          {
            header: 'status',
            cell: (i) => (
              <>
                <Status status={i.status} />
                {i.mustAct ? <span class="status needs-human">needs a person</span> : null}
              </>
            ),
          },
          { header: 'action', cell: (i) => (i.decision ? `${i.decision.action}${i.decision.applied ? '' : ' (not applied)'}` : '—') },
        ]}
      />
      {data && rows.length === 0 ? (
        <p class="muted">
          {cursor && needle ? `None of the ${loaded.length} incidents loaded match; search looks only at loaded ones: load older incidents to search them too.` : 'No incidents match.'}
        </p>
      ) : null}
      <Problem error={more.error} />
      {cursor ? (
        <button type="button" disabled={more.loading} onClick={() => void loadOlder()}>
          {more.loading ? 'loading older incidents…' : 'older incidents'}
        </button>
      ) : null}
    </section>
  );
}

/** `children` linked to `url` when it is a {@link webLink}, else as plain text. */
function Linked({ url, children }: { url: string | null | undefined; children: ComponentChildren }) {
  const href = webLink(url);
  return href ? <a href={href}>{children}</a> : <>{children}</>;
}

function stepLink(job: JobFailureSummary, line: number): string | null {
  if (!webLink(job.url)) return null;
  const step = job.step;
  if (step?.number && step.startLine) return `${job.url}#step:${step.number}:${line - step.startLine + 1}`;
  return job.url;
}

function FailureLines({ incident }: { incident: Incident }) {
  if (incident.jobs.length === 0) {
    return (
      <pre class="lines" data-section="failure-lines">
        {incident.failureLines.map((l) => `${String(l.line).padStart(5)}  ${l.text}`).join('\n') || 'no failure lines'}
      </pre>
    );
  }
  return (
    <div data-section="failure-lines">
      {incident.jobs.map((job) => (
        <article key={job.jobId} class="job">
          <h3>
            <Linked url={job.url}>{job.jobName}</Linked>
            {job.step ? <span class="muted" data-step> · step {job.step.number === null ? '' : `${job.step.number} `}“{job.step.name}”</span> : null}
            <span class="muted"> · {job.category}</span>
          </h3>
          {job.diagnosis ? (
            <p class="diagnosis" data-section="diagnosis">
              <strong>{job.diagnosis.determined ? 'Diagnosis' : 'Diagnosis (not determined)'}:</strong> {job.diagnosis.rootCause}
              {job.diagnosis.fix.length ? <ul>{job.diagnosis.fix.map((f) => <li key={f}>{f}</li>)}</ul> : null}
            </p>
          ) : null}
          {job.failures.map((failure) =>
            failure.lines.length === 0 ? (
              // Classify keeps a run's failure lines within a budget: past it, a failure keeps its place, not its lines.
              <p key={`${failure.rule}-${failure.startLine}`} class="muted">
                Lines {failure.startLine}–{failure.endLine} ({failure.rule}): left out, the run's failures fill what an incident keeps; the job log has them.
              </p>
            ) : (
              <pre key={`${failure.rule}-${failure.startLine}`} class="lines">
                {failure.lines.map((l) => {
                  const href = stepLink(job, l.line);
                  return (
                    <div key={l.line}>
                      {href ? (
                        <a href={href} aria-label={`line ${l.line} of the job log on GitHub`}>
                          {String(l.line).padStart(5)}
                        </a>
                      ) : (
                        String(l.line).padStart(5)
                      )}  {l.text}
                    </div>
                  );
                })}
              </pre>
            ),
          )}
        </article>
      ))}
    </div>
  );
}

/** The first thing on an incident's page: whether a person must act, and what to do. */
function NextStepNotice({ incident }: { incident: Incident }) {
  const step = nextStep(incident);
  return (
    <div class={step.human ? 'next-step human' : 'next-step'} data-section="next-step" role="note" aria-label="what to do">
      <p>
        <strong>{step.human ? 'Needs a person. ' : 'No action needed. '}</strong>
        {step.text}
      </p>
      {step.commands.length ? (
        <ul class="commands">
          {step.commands.map((command) => (
            <li key={command}>
              <code>{command}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {step.steps.length ? <ol>{step.steps.map((s) => <li key={s}>{s}</li>)}</ol> : null}
    </div>
  );
}

function IncidentPage({ id }: { id: string }) {
  const { data, error, readAt } = useData(() => apiGet<Incident & { timeline: TimelineEntry[] }>(`/incidents/${encodeURIComponent(id)}`), [id], true);
  const incident = data?.body;
  if (!incident) return error ? <Problem error={error} /> : <Loading what={`incident ${id}`} />;
  const analysis = incident.analysis;
  const verdict = incident.flaky
    ? `flaky: ${incident.flaky.detail}`
    : analysis?.injection
      ? 'the log tried to steer the analyzer: its answer is withheld'
      : analysis
        ? `${analysis.proposedAction} with confidence ${analysis.confidence.toFixed(2)}`
        : 'not analyzed yet';
  return (
    <section>
      <p>
        <a href="#/">← incidents</a>
      </p>
      <Problem error={error} readAt={readAt} />
      <PageHeading title={title(incident)}>
        {title(incident)} <Status status={incident.status} />
      </PageHeading>
      <NextStepNotice incident={incident} />
      <dl class="facts">
        <dt>incident</dt>
        <dd>{incident.id}</dd>
        <dt>source</dt>
        <dd>{incident.source}</dd>
        <dt>category</dt>
        <dd>{incident.category ?? '—'}</dd>
        <dt>failed</dt>
        <dd>
          <Time iso={incident.failedAt} />
        </dd>
        {incident.runUrl ? (
          <>
            <dt>run</dt>
            <dd>
              <Linked url={incident.runUrl}>{incident.runUrl}</Linked>
            </dd>
          </>
        ) : null}
        {incident.pullRequest ? (
          <>
            <dt>pull request</dt>
            <dd>#{incident.pullRequest}</dd>
          </>
        ) : null}
        <dt>recovered</dt>
        <dd>
          {incident.resolvedAt ? (
            <>
              <Time iso={incident.resolvedAt} /> ({duration(incident.timeToRecoverySeconds)})
            </>
          ) : (
            'not yet'
          )}
        </dd>
      </dl>
      <h2>Failure lines</h2>
      <FailureLines incident={incident} />
      <h2>Analysis</h2>
      {analysis ? (
        <div data-section="analysis">
          <p>{analysis.rootCause}</p>
          {analysis.fix.length ? <ol>{analysis.fix.map((f) => <li key={f}>{f}</li>)}</ol> : null}
          <p class="muted">
            {analysis.provider}
            {analysis.model ? ` · ${analysis.model}` : ''} · confidence {analysis.confidence.toFixed(2)}
            {analysis.cost ? ` · ${analysis.cost.inputTokens + analysis.cost.outputTokens} tokens` : ''}
            {analysis.fallbackReason ? ` · fallback: ${analysis.fallbackReason}` : ''}
          </p>
        </div>
      ) : (
        <p class="muted">not analyzed yet</p>
      )}
      <h2>Verdict and decision</h2>
      <p data-section="verdict">{verdict}</p>
      <p data-section="decision">
        {incident.decision
          ? `${incident.decision.action}${incident.decision.dryRun ? ' (dry run)' : incident.decision.applied ? ' — applied' : ' — not applied'}: ${incident.decision.reason}${incident.decision.result ? ` → ${incident.decision.result}` : ''}`
          : incident.plan
            ? `planned ${incident.plan.action}${incident.plan.requiresApproval ? ' (needs approval)' : ''}`
            : 'no decision yet'}
      </p>
      <p data-section="approval">
        Approval: {incident.approval ? `${incident.approval.status}${incident.approval.decidedBy ? ` by ${incident.approval.decidedBy}` : ''}${incident.approval.reason ? ` (${incident.approval.reason})` : ''}` : 'not needed'}
      </p>
      <h2>Timeline</h2>
      <DataTable
        class="timeline"
        section="timeline"
        rows={incident.timeline}
        rowKey={(_entry, i) => i}
        rowAttributes={(entry) => ({ class: `kind-${entry.kind}` })}
        columns={[
          { header: 'time', cell: (entry) => <Time iso={entry.at} /> },
          { header: 'kind', cell: (entry) => entry.kind },
          {
            header: 'what happened',
            wrap: true,
            cell: (entry) => (
              <>
                {entry.title}
                {entry.actor && entry.actor !== 'pipeline-guard' ? <span class="muted"> · {entry.actor}</span> : null}
                {entry.detail ? <div class="muted">{entry.detail}</div> : null}
              </>
            ),
          },
        ]}
      />
    </section>
  );
}

function MetricsPage() {
  const [days, setDays] = useState('14');
  const { data, error, readAt } = useData(() => apiGet<MetricsSummary>('/metrics', { days }), [days], true);
  const m = data?.body;
  if (!m) return error ? <Problem error={error} /> : <Loading what="metrics" />;
  const labels = m.days.map((d) => d.day);
  // The read API counts incidents by UTC day (shared/api/summary.ts); the reader's times are in their own zone.
  const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value ?? 'local';
  const categories = Object.keys(m.byCategory).sort();
  return (
    <section>
      <PageHeading title="Metrics" />
      <Problem error={error} readAt={readAt} />
      <label>
        window
        <select value={days} onChange={(e) => setDays((e.target as HTMLSelectElement).value)}>
          {['7', '14', '30', '90'].map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </label>
      <div class="cards">
        <div>
          <b>{m.incidents}</b> incidents{m.truncated ? ' (first 5000)' : ''}
        </div>
        <div>
          <b>{duration(m.medianTimeToFirstCommentSeconds)}</b> median to first comment
        </div>
        <div>
          <b>{duration(m.medianTimeToRecoverySeconds)}</b> median to recovery
        </div>
        <div>
          <b>{pct(m.automaticActionSuccessRate)}</b> automatic actions that worked
        </div>
        <div>
          <b>{pct(m.flakyRate)}</b> flaky
        </div>
        <div>
          <b>{m.escalations}</b> escalations
        </div>
        <div>
          <b>${m.costUsd.toFixed(4)}</b> LLM cost ({m.inputTokens + m.outputTokens} tokens)
        </div>
      </div>
      <p class="muted" data-section="days">
        Days are UTC days{zone === 'UTC' ? '' : `, not ${zone} ones`}: an incident counts on its date in UTC.
      </p>
      <div class="charts">
        <BarChart title="Incidents per day by category" labels={labels} series={categories.map((c) => ({ label: c, values: m.days.map((d) => d.byCategory[c] ?? 0) }))} />
        <LineChart
          title="Time to first comment and to recovery (median, s)"
          labels={labels}
          series={[
            { label: 'first comment', values: m.days.map((d) => d.medianTimeToFirstCommentSeconds) },
            { label: 'recovery', values: m.days.map((d) => d.medianTimeToRecoverySeconds) },
          ]}
        />
        <BarChart
          title="Automatic actions: succeeded and not"
          labels={labels}
          series={[
            { label: 'succeeded', values: m.days.map((d) => d.automaticSuccesses) },
            { label: 'not (yet)', values: m.days.map((d) => d.automaticActions - d.automaticSuccesses) },
          ]}
        />
        <BarChart
          title="Flaky incidents and escalations"
          labels={labels}
          series={[
            { label: 'flaky', values: m.days.map((d) => d.flaky) },
            { label: 'escalations', values: m.days.map((d) => d.escalations) },
          ]}
        />
        <BarChart
          title="LLM tokens per day"
          labels={labels}
          series={[
            { label: 'input', values: m.days.map((d) => d.inputTokens) },
            { label: 'output', values: m.days.map((d) => d.outputTokens) },
          ]}
        />
        <LineChart title="LLM cost per day (USD)" labels={labels} series={[{ label: 'USD', values: m.days.map((d) => d.costUsd) }]} format={(n) => n.toFixed(3)} />
      </div>
    </section>
  );
}

function ExperimentsPage({ id }: { id: string | null }) {
  const list = useData(() => apiGet<Experiment[]>('/experiments'), []);
  const report = useData(() => (id ? apiGet<ExperimentReport>(`/experiments/${encodeURIComponent(id)}`) : Promise.resolve(null)), [id]);
  const r = report.data?.body;
  return (
    <section>
      <PageHeading title="Experiments" />
      <Problem error={list.error ?? report.error} />
      <ul>
        {(list.data?.body ?? []).map((e) => (
          <li key={e.id}>
            <a href={`#/experiments/${e.id}`}>{e.id}</a> <span class="muted">{e.status} · {e.variants.map((v) => v.name).join(' vs ')}</span>
          </li>
        ))}
      </ul>
      {list.data && list.data.body.length === 0 ? <p class="muted">No experiments. Create one with guard experiments create.</p> : null}
      {r ? (
        <article>
          <h2>{r.experiment.id}</h2>
          <DataTable
            rows={r.results}
            rowKey={(v) => v.name}
            columns={[
              { header: 'variant', cell: (v) => v.name },
              { header: 'action', cell: (v) => v.action },
              { header: 'successes / attempts', cell: (v) => `${v.successes} / ${v.attempts}` },
              { header: 'rate', cell: (v) => pct(v.rate) },
              {
                header: `${pct(r.intervalConfidence)} interval`,
                cell: (v) => (
                  <>
                    <IntervalBar rate={v.rate} lower={v.lower} upper={v.upper} /> {pct(v.lower)} – {pct(v.upper)}
                  </>
                ),
              },
            ]}
          />
          <p>
            Decision: {r.decision.state}
            {r.decision.winner ? ` → ${r.decision.winner}` : ''} — {r.decision.reason}
          </p>
        </article>
      ) : null}
    </section>
  );
}

function KnowledgePage() {
  const [q, setQ] = useState('');
  const [submitted, setSubmitted] = useState('');
  // Whose learned entries are shown beside the shared ones: the scope chosen, else the one that learned last.
  const [picked, setPicked] = useState<string | null>(null);
  const scopes = useData(() => apiGet<LearnedScope[]>('/knowledge/scopes', { limit: '200' }), []);
  const known = scopes.data?.body ?? [];
  const scope = picked ?? known[0]?.scope ?? '';
  const { data, error } = useData(
    () => apiGet<Array<KnowledgeEntry | { entry: KnowledgeEntry; score: number }>>('/knowledge', { q: submitted || undefined, limit: '50', scope: scope || undefined }),
    [submitted, scope],
  );
  const rows = (data?.body ?? []).map((r) => ('entry' in r ? r : { entry: r, score: null }));
  const chosen = known.find((s) => s.scope === scope);
  return (
    <section>
      <PageHeading title="Knowledge" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(q.trim());
        }}
      >
        <label>
          learned by
          <select name="scope" value={scope} onChange={(e) => setPicked((e.target as HTMLSelectElement).value)}>
            <option value="">none (shared entries only)</option>
            {known.map((s) => (
              <option key={s.scope} value={s.scope}>
                {scopeLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <input
          name="q"
          type="search"
          aria-label="search the knowledge base"
          placeholder="npm ERESOLVE, OOMKilled, flaky test…"
          value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
        <button type="submit">search</button>
      </form>
      <Problem error={scopes.error ?? error} />
      {!data && !error ? <Loading what="knowledge" /> : null}
      {data && rows.length === 0 ? (
        <p class="muted">{emptyKnowledgeText({ submitted, scope: chosen ? scopeLabel(chosen) : scope || null, scopes: known.length })}</p>
      ) : null}
      {rows.map(({ entry, score }) => (
        <article key={`${entry.fingerprint} ${entry.scope ?? entry.source}`} class="entry">
          <h3>
            {entry.title} <span class="muted">· {entry.category} · {entryOrigin(entry)}{score !== null ? ` · score ${score.toFixed(2)}` : ''}</span>
          </h3>
          <ul>{entry.fix.map((f) => <li key={f}>{f}</li>)}</ul>
          <p class="muted">
            seen {entry.seen} · {entry.action}: {entry.successes}/{entry.attempts}
          </p>
        </article>
      ))}
    </section>
  );
}

function App() {
  const route = useRoute();
  const incident = /^\/incidents\/([A-Za-z0-9_-]+)$/.exec(route);
  const experiment = /^\/experiments(?:\/([a-z0-9_-]+))?$/.exec(route);
  const page = incident ? (
    <IncidentPage id={incident[1] as string} />
  ) : route === '/metrics' ? (
    <MetricsPage />
  ) : experiment ? (
    <ExperimentsPage id={experiment[1] ?? null} />
  ) : route === '/knowledge' ? (
    <KnowledgePage />
  ) : (
    <IncidentsPage />
  );
  const name = incident ? `incident ${incident[1]}` : route === '/metrics' ? 'Metrics' : experiment ? 'Experiments' : route === '/knowledge' ? 'Knowledge' : 'Incidents';
  // Named at once, before the page's data (and its PageHeading, which may name it better) arrives: the tab must
  // not keep the name of the page left.
  useEffect(() => {
    document.title = `${name} · Pipeline Guard`;
  }, [route]);
  const active = (href: string) => `#${route}` === href || (href !== '#/' && `#${route}`.startsWith(href)) || (href === '#/' && incident !== null);
  const nav = [
    ['#/', 'Incidents'],
    ['#/metrics', 'Metrics'],
    ['#/experiments', 'Experiments'],
    ['#/knowledge', 'Knowledge'],
  ];
  return (
    <>
      <header>
        <strong>Pipeline Guard</strong>
        <nav>
          {nav.map(([href, label]) => (
            <a
              key={href}
              href={href}
              class={active(href as string) ? 'active' : ''}
              aria-current={active(href as string) ? 'page' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main>{page}</main>
    </>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
