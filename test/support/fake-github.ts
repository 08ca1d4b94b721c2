/**
 * A small fake of the GitHub REST API on 127.0.0.1 for the client tests: real HTTP, real headers, Link
 * pagination, the logs redirect to a separate "storage" path, and injectable faults. It records every request so
 * tests can assert exactly what the client sent.
 */
import { createGitHubClient, type GitHubClientOptions } from '../../shared/github/client.js';
import { type KeyObject, verify as verifySignature } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = 'ghp_fakeTokenForTests0123456789';
export const BOT_LOGIN = 'pipeline-guard[bot]';

export interface RecordedRequest {
  method: string;
  /** Path and query as received, including any GHES prefix. */
  path: string;
  /** Path without the API prefix and without the query, for matching. */
  route: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (epoch ms): how far apart retries were. */
  at: number;
}

export interface FakeJob {
  id: number;
  name: string;
  conclusion: string | null;
  steps?: Array<{ name: string; status: string; conclusion: string | null; number: number; started_at: string | null; completed_at: string | null }>;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  /** `repo`: the repository the pull request comes from (a fork's own id for a fork's). */
  head: { sha: string; repo?: { id: number } | null };
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  annotation_level: string;
  message: string;
}

/** How the storage host serves a log: a status (expired), a body, or a custom writer for streaming tests. */
export type FakeLog = { status: 404 | 410 } | { content: string | Buffer } | { stream: (res: ServerResponse) => Promise<void> };

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface Fault {
  method: string;
  /** Matched against the route (path without prefix and query). */
  route: RegExp;
  /** How many matching requests get the fault; default 1. `Infinity` for a persistent fault. */
  times?: number;
  /** 'reply' answers with `reply`; 'drop' destroys the connection (a network failure); 'hang' never answers. */
  kind?: 'reply' | 'drop' | 'hang';
  reply?: Reply;
  /** Apply the request to the fake's state first, then fail: GitHub stored the write but the answer was lost. */
  afterApplying?: boolean;
  /** Answer (as `kind` says) only once this settles: a request held in flight while the test acts, then failed. */
  heldUntil?: Promise<unknown>;
}

interface ActiveFault extends Fault {
  remaining: number;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

const NOT_FOUND = json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });

/** A GitHub App the fake knows: JWTs signed by its key get `GET /app` and installation tokens. */
export interface FakeApp {
  id: number;
  slug: string;
  publicKey: KeyObject;
}

/** The id every repository of this fake has (forks' runs name another head repository). */
const FAKE_REPOSITORY_ID = 714523861;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly jobs = new Map<string, FakeJob[]>();
  readonly logs = new Map<number, FakeLog>();
  readonly annotations = new Map<number, FakeAnnotation[]>();
  readonly commitPulls = new Map<string, FakePull[]>();
  readonly comments = new Map<number, FakeComment[]>();
  /** Comments on commits, by SHA. */
  readonly commitComments = new Map<string, FakeComment[]>();
  /** Refuse to create commit comments, as GitHub does for an App without Contents read (403). */
  refuseCommitComments = false;
  readonly runs = new Map<number, { status: string; run_attempt: number }>();
  /** Workflow id → its runs, newest first, for `GET …/actions/workflows/{id}/runs` (filtered by branch and status). */
  readonly workflowRuns = new Map<number, Array<{ id: number; run_attempt: number; head_branch: string; conclusion: string | null; html_url?: string; head_repository_id?: number; event?: string }>>();
  login = BOT_LOGIN;
  /** When set, GET /user answers this status (App and Actions tokens cannot read /user). */
  userStatus: number | null = null;
  /** The GitHub App whose JWTs are accepted; unset: App routes answer 401 like for an unknown App. */
  app: FakeApp | null = null;
  /** Installation tokens issued, by token, with the installation they act for. */
  readonly installationTokens = new Map<string, { installationId: number; expiresAt: string }>();
  /** Lifetime of issued installation tokens (GitHub: one hour). */
  tokenLifetimeMs = 3_600_000;
  /** Workflow runs re-run through the API, in order (run id and the attempt the re-run created). */
  readonly reruns: Array<{ runId: number; attempt: number; installationId: number | null }> = [];
  /** Repository files by `path@sha`, served by the contents API and listed by the trees API. */
  readonly files = new Map<string, string>();
  /** Git modes of those files by `path@sha` (`100755`, `120000`, …); unset is `100644`. */
  readonly fileModes = new Map<string, string>();
  /** Subdirectory trees handed out by the trees API: sha → the commit and directory they list. */
  private readonly subtrees = new Map<string, { ref: string; dir: string }>();
  /** Whether a recursive tree listing says GitHub cut it short. */
  truncatedTrees = false;
  readonly issueLabels = new Map<number, string[]>();
  /** `owner/repo` (lower case) → the App installation that covers it. */
  readonly repositoryInstallations = new Map<string, number>();
  readonly reactions = new Map<number, Array<{ content: string; created_at?: string; user: { login: string; type: string } }>>();
  readonly permissions = new Map<string, string>();
  readonly refs = new Map<string, string>();
  readonly pulls: Array<{ number: number; head: string; base: string; title: string; body: string; html_url: string }> = [];
  readonly gitObjects = new Map<string, Record<string, unknown>>();
  /** Branch → its commits, oldest first (the last is its head), for the compare API. */
  readonly branchCommits = new Map<string, string[]>();
  /** Commits on none of those branches (a pull request's), and how each compares with a branch: `ahead` or `diverged`. */
  readonly offBranchCommits = new Map<string, 'ahead' | 'diverged'>();
  private nextSha = 1;
  private nextCommentId = 1000;
  private readonly faults: ActiveFault[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly prefix: string,
  ) {}

  /** The base URL the client is configured with (origin + prefix, e.g. `/api/v3` for GHES). */
  get baseUrl(): string {
    return `${this.origin}${this.prefix}`;
  }

  static async start(options: { prefix?: string } = {}): Promise<FakeGitHub> {
    const holder: { fake?: FakeGitHub } = {};
    const server = createServer((req, res) => {
      void holder.fake?.handle(req, res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`, options.prefix ?? '');
    holder.fake = fake;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Ends every fault still active: GitHub answers normally again (requests left hanging stay so). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests to the API (not to the storage host), as "METHOD /path?query". */
  apiCalls(): string[] {
    return this.requests.filter((r) => !r.route.startsWith('/storage/')).map((r) => `${r.method} ${r.path}`);
  }

  /** Serves attempt 1 of run `runId` as one failed job, `jobId`, whose log is `log`. */
  serveFailedJob(runId: number, jobId: number, log: string, name = 'test (node 22)'): void {
    this.jobs.set(`${runId}/1`, [{ id: jobId, name, conclusion: 'failure' }]);
    this.logs.set(jobId, { content: log });
  }

  addComment(issueNumber: number, login: string, body: string): FakeComment {
    const comment = { id: this.nextCommentId++, body, user: { login } };
    this.comments.set(issueNumber, [...(this.comments.get(issueNumber) ?? []), comment]);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.origin);
    const isStorage = url.pathname.startsWith('/storage/');
    const route = isStorage || !url.pathname.startsWith(this.prefix) ? url.pathname : url.pathname.slice(this.prefix.length);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: `${url.pathname}${url.search}`,
      route,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now(),
    };
    this.requests.push(recorded);

    const fault = this.faults.find((f) => f.remaining > 0 && f.method === recorded.method && f.route.test(route));
    if (fault) {
      fault.remaining -= 1;
      if (fault.afterApplying) await this.route(recorded, url, res, true);
      if (fault.heldUntil) await fault.heldUntil.catch(() => undefined);
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') return;
      this.send(res, fault.reply ?? json(500, { message: 'Server Error' }));
      return;
    }
    await this.route(recorded, url, res, false);
  }

  private send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload = '';
    if (reply.body !== undefined) {
      payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  /** Serves one request; with `silent`, only applies its effect (the fault answers instead). */
  private async route(req: RecordedRequest, url: URL, res: ServerResponse, silent: boolean): Promise<void> {
    const reply = (r: Reply): void => {
      if (!silent) this.send(res, r);
    };

    if (req.route.startsWith('/storage/')) {
      const id = Number(req.route.split('/')[3]);
      const log = this.logs.get(id);
      if (silent) return;
      if (!log || 'status' in log) return reply(json(log?.status ?? 404, '<Error>BlobNotFound</Error>'));
      if ('content' in log) {
        // As blob storage does: a whole log is sent with its length; a streamed one (below) in chunks.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(log.content) });
        res.end(log.content);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      await log.stream(res);
      return;
    }

    if (!url.pathname.startsWith(this.prefix)) return reply(NOT_FOUND);
    const appRoute = /^\/app(\/|$)/.test(req.route) || /^\/repos\/[^/]+\/[^/]+\/installation$/.test(req.route);
    if (appRoute) return reply(this.appRoute(req));
    if (req.headers.authorization !== `token ${FAKE_TOKEN}` && this.installationOf(req) === null) {
      return reply(json(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }));
    }

    const match = (pattern: RegExp): string[] | null => {
      const m = pattern.exec(req.route);
      return m ? m.slice(1) : null;
    };
    let m: string[] | null;

    if (req.method === 'GET' && req.route === '/user') {
      return reply(this.userStatus ? json(this.userStatus, { message: 'Resource not accessible by integration' }) : json(200, { login: this.login }));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/))) {
      const all = this.jobs.get(`${m[0]}/${m[1]}`);
      if (!all) return reply(NOT_FOUND);
      const page = this.paginate(req, url, all);
      return reply(json(200, { total_count: all.length, jobs: page.items.map((j) => ({ ...j, html_url: `https://github.com/o/r/actions/runs/${m?.[0]}/job/${j.id}` })) }, page.headers));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/(\d+)\/runs$/))) {
      const branch = url.searchParams.get('branch');
      const status = url.searchParams.get('status');
      // `completed` is every finished run; any other status filter is a conclusion.
      const runs = (this.workflowRuns.get(Number(m[0])) ?? []).filter(
        (run) => (!branch || run.head_branch === branch) && (!status || (status === 'completed' ? run.conclusion !== null : run.conclusion === status)),
      );
      const page = this.paginate(req, url, runs);
      // As GitHub: each run names its repository and its head repository (another one for a fork's pull request).
      const items = page.items.map(({ head_repository_id, ...run }) => ({ ...run, repository: { id: FAKE_REPOSITORY_ID }, head_repository: { id: head_repository_id ?? FAKE_REPOSITORY_ID } }));
      return reply(json(200, { total_count: runs.length, workflow_runs: items }, page.headers));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/actions\/jobs\/(\d+)\/logs$/))) {
      const log = this.logs.get(Number(m[0]));
      if (!log) return reply(NOT_FOUND);
      if ('status' in log) return reply(json(log.status, { message: log.status === 410 ? 'Gone' : 'Not Found' }));
      return reply({ status: 302, headers: { location: `${this.origin}/storage/job-logs/${m[0]}?sig=presigned-secret` } });
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)\/annotations$/))) {
      const page = this.paginate(req, url, this.annotations.get(Number(m[0])) ?? []);
      return reply(json(200, page.items, page.headers));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/))) {
      const pulls = this.commitPulls.get(m[0] ?? '');
      if (!pulls) return reply(json(422, { message: `No commit found for SHA: ${m[0]}` }));
      const page = this.paginate(req, url, pulls);
      return reply(json(200, page.items, page.headers));
    }
    if ((m = match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const issue = Number(m[2]);
      if (req.method === 'GET') {
        const page = this.paginate(req, url, this.comments.get(issue) ?? []);
        return reply(json(200, page.items.map((c) => this.commentJson(c, m)), page.headers));
      }
      if (req.method === 'POST') {
        const body = (JSON.parse(req.body) as { body: string }).body;
        if (body.length > 65_536) return reply(json(422, { message: 'Validation Failed', errors: [{ message: 'Body is too long (maximum is 65536 characters)' }] }));
        const comment = this.addComment(issue, this.login, body);
        return reply(json(201, this.commentJson(comment, m)));
      }
    }
    if ((m = match(/^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/comments$/))) {
      const sha = m[2] ?? '';
      if (req.method === 'GET') {
        const page = this.paginate(req, url, this.commitComments.get(sha) ?? []);
        return reply(json(200, page.items.map((c) => this.commentJson(c, m)), page.headers));
      }
      if (req.method === 'POST') {
        if (this.refuseCommitComments) return reply(json(403, { message: 'Resource not accessible by integration' }));
        const comment = { id: this.nextCommentId++, body: (JSON.parse(req.body) as { body: string }).body, user: { login: this.login } };
        this.commitComments.set(sha, [...(this.commitComments.get(sha) ?? []), comment]);
        return reply(json(201, this.commentJson(comment, m)));
      }
    }
    if (req.method === 'PATCH' && (m = match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/))) {
      const id = Number(m[2]);
      for (const list of this.comments.values()) {
        const comment = list.find((c) => c.id === id);
        if (!comment) continue;
        if (comment.user.login !== this.login) return reply(json(403, { message: 'Must have admin rights to Repository.' }));
        comment.body = (JSON.parse(req.body) as { body: string }).body;
        return reply(json(200, this.commentJson(comment, m)));
      }
      return reply(NOT_FOUND);
    }
    if ((m = match(/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)(\/rerun-failed-jobs)?$/))) {
      const run = this.runs.get(Number(m[0]));
      if (!run) return reply(NOT_FOUND);
      if (req.method === 'GET' && !m[1]) return reply(json(200, { id: Number(m[0]), ...run }));
      if (req.method === 'POST' && m[1]) {
        if (run.status !== 'completed') return reply(json(403, { message: 'This workflow is already running' }));
        run.run_attempt += 1;
        run.status = 'queued';
        this.reruns.push({ runId: Number(m[0]), attempt: run.run_attempt, installationId: this.installationOf(req) });
        return reply(json(201, {}));
      }
    }

    if (req.method === 'POST' && (m = match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)\/reactions$/))) {
      // As GitHub: one reaction of a kind per user; a repeat answers 200 with the one that exists.
      const content = (JSON.parse(req.body) as { content: string }).content;
      const list = this.reactions.get(Number(m[0])) ?? [];
      this.reactions.set(Number(m[0]), list);
      const existing = list.find((reaction) => reaction.content === content && reaction.user.login === BOT_LOGIN);
      if (existing) return reply(json(200, existing));
      const created = { content, user: { login: BOT_LOGIN, type: 'Bot' } };
      list.push(created);
      return reply(json(201, created));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)\/reactions$/))) {
      const content = url.searchParams.get('content');
      const all = (this.reactions.get(Number(m[0])) ?? []).filter((reaction) => content === null || reaction.content === content);
      const page = this.paginate(req, url, all);
      return reply(json(200, page.items, page.headers));
    }
    if (req.method === 'GET' && match(/^\/repos\/[^/]+\/[^/]+\/collaborators$/)) {
      // As GitHub: the highest role's name, and the base role's flags (a maintainer pushes; a triager pulls).
      const flags = (role: string) => ({ admin: role === 'admin', maintain: ['admin', 'maintain'].includes(role), push: ['admin', 'maintain', 'write'].includes(role), triage: role !== 'read', pull: true });
      const all = [...this.permissions].filter(([, role]) => role !== 'none').map(([login, role]) => ({ login, type: 'User', role_name: role, permissions: flags(role) }));
      const page = this.paginate(req, url, all);
      return reply(json(200, page.items, page.headers));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels$/))) {
      return reply(json(200, (this.issueLabels.get(Number(m[0])) ?? []).map((name) => ({ name }))));
    }
    if (req.method === 'POST' && (m = match(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels$/))) {
      const labels = (JSON.parse(req.body) as { labels: string[] }).labels;
      this.issueLabels.set(Number(m[0]), [...(this.issueLabels.get(Number(m[0])) ?? []), ...labels]);
      return reply(json(200, labels.map((name) => ({ name }))));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/collaborators\/([^/]+)\/permission$/))) {
      const permission = this.permissions.get(decodeURIComponent(m[0] ?? '')) ?? 'none';
      return reply(permission === 'none' ? NOT_FOUND : json(200, { permission, role_name: permission }));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/))) {
      const path = decodeURIComponent(m[0] ?? '');
      const content = this.files.get(`${path}@${url.searchParams.get('ref')}`);
      const listed = [...this.files.keys()].filter((key) => key.startsWith(`${path}/`) && key.endsWith(`@${url.searchParams.get('ref')}`));
      if (content === undefined && listed.length > 0) {
        // A directory: its entries, a file or a folder each, as the contents API lists them.
        const names = new Set(listed.map((key) => key.slice(path.length + 1, key.lastIndexOf('@'))));
        const entries = new Map([...names].map((name) => [name.split('/')[0] as string, name.includes('/') ? 'dir' : 'file']));
        return reply(json(200, [...entries].map(([name, type]) => ({ type, name, path: `${path}/${name}` }))));
      }
      if (content === undefined) return reply(NOT_FOUND);
      return reply(json(200, { type: 'file', encoding: 'base64', size: content.length, content: Buffer.from(content).toString('base64') }));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/git\/trees\/([0-9a-f]+)$/))) {
      // A commit's root tree has the commit's sha here (see git/commits below).
      const { ref, dir } = this.subtrees.get(m[0] ?? '') ?? { ref: m[0] ?? '', dir: '' };
      if (url.searchParams.get('recursive') === '1') {
        // Every file at the commit, by its full path (the folders too, as GitHub lists them, for the client to leave out).
        const paths = [...this.files.keys()].filter((key) => key.endsWith(`@${ref}`)).map((key) => key.slice(0, key.lastIndexOf('@')));
        const folders = [...new Set(paths.flatMap((path) => path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))))];
        const tree = [...folders.map((path) => ({ path, mode: '040000', type: 'tree', sha: 'c'.repeat(40) })), ...paths.map((path) => ({ path, mode: '100644', type: 'blob', sha: 'b'.repeat(40) }))];
        return reply(json(200, { sha: m[0], tree, truncated: this.truncatedTrees }));
      }
      const entries = new Map<string, Record<string, string>>();
      for (const key of this.files.keys()) {
        const at = key.lastIndexOf('@');
        const path = key.slice(0, at);
        if (key.slice(at + 1) !== ref || !path.startsWith(dir)) continue;
        const [name = '', ...rest] = path.slice(dir.length).split('/');
        if (entries.has(name)) continue;
        if (rest.length === 0) {
          entries.set(name, { path: name, mode: this.fileModes.get(key) ?? '100644', type: 'blob', sha: 'b'.repeat(40) });
        } else {
          const sha = (this.nextSha++).toString(16).padStart(40, 'c');
          this.subtrees.set(sha, { ref, dir: `${dir}${name}/` });
          entries.set(name, { path: name, mode: '040000', type: 'tree', sha });
        }
      }
      return reply(json(200, { sha: m[0], tree: [...entries.values()], truncated: false }));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/git\/commits\/([0-9a-f]+)$/))) {
      return reply(json(200, { sha: m[0], tree: { sha: `${'t'.repeat(0)}${(m[0] ?? '').slice(0, 40).padEnd(40, '0')}` } }));
    }
    if (req.method === 'POST' && (m = match(/^\/repos\/[^/]+\/[^/]+\/git\/(trees|commits)$/))) {
      const sha = (this.nextSha++).toString(16).padStart(40, 'a');
      this.gitObjects.set(sha, { kind: m[0], ...(JSON.parse(req.body) as Record<string, unknown>) });
      return reply(json(201, { sha }));
    }
    if (req.method === 'POST' && match(/^\/repos\/[^/]+\/[^/]+\/git\/refs$/)) {
      const { ref, sha } = JSON.parse(req.body) as { ref: string; sha: string };
      if (this.refs.has(ref)) return reply(json(422, { message: 'Reference already exists' }));
      this.refs.set(ref, sha);
      return reply(json(201, { ref, object: { sha } }));
    }
    if (req.method === 'PATCH' && (m = match(/^\/repos\/[^/]+\/[^/]+\/git\/refs\/(.+)$/))) {
      this.refs.set(`refs/${decodeURIComponent(m[0] ?? '')}`, (JSON.parse(req.body) as { sha: string }).sha);
      return reply(json(200, {}));
    }
    if (req.method === 'GET' && (m = match(/^\/repos\/[^/]+\/[^/]+\/compare\/(.+)$/))) {
      return reply(this.compare(decodeURIComponent(m[0] ?? '')));
    }
    if ((m = match(/^\/repos\/([^/]+)\/([^/]+)\/pulls$/))) {
      if (req.method === 'GET') {
        const head = url.searchParams.get('head')?.split(':')[1];
        return reply(json(200, this.pulls.filter((p) => !head || p.head === head)));
      }
      if (req.method === 'POST') {
        const body = JSON.parse(req.body) as { title: string; head: string; base: string; body: string };
        const pull = { number: 5000 + this.pulls.length, ...body, html_url: `https://github.com/${m[0]}/${m[1]}/pull/${5000 + this.pulls.length}` };
        this.pulls.push(pull);
        return reply(json(201, pull));
      }
    }
    return reply(NOT_FOUND);
  }

  /**
   * `GET /compare/{branch}...{sha}` as GitHub answers it for a commit against a branch: `identical` for the head,
   * `behind` for an older commit of the branch, the commit's own status off it, 404 for an unknown branch or commit.
   * A commit may be named by a prefix of its sha, in either case, as git resolves one.
   */
  private compare(basehead: string): Reply {
    const [base = '', named = ''] = basehead.split('...');
    const head = named.toLowerCase();
    const commits = this.branchCommits.get(base);
    if (!commits || head === '') return NOT_FOUND;
    const index = commits.findIndex((sha) => sha.startsWith(head));
    const last = commits.length - 1;
    const off = [...this.offBranchCommits].find(([sha]) => sha.startsWith(head))?.[1];
    if (index < 0 && !off) return json(404, { message: `No commit found for SHA: ${named}`, documentation_url: 'https://docs.github.com/rest' });
    const status = index === last ? 'identical' : index >= 0 ? 'behind' : off;
    const aheadBy = index >= 0 ? 0 : 1;
    const behindBy = index >= 0 ? last - index : status === 'diverged' ? 1 : 0;
    // The merge base: the commit itself when the branch contains it; for another commit, the branch's first.
    const mergeBase = index >= 0 ? commits[index] : commits[0];
    return json(200, { status, ahead_by: aheadBy, behind_by: behindBy, total_commits: aheadBy, merge_base_commit: { sha: mergeBase }, commits: [], files: [] });
  }

  /** The installation a request acted for (by its installation token), or null for the plain token. */
  installationOf(req: RecordedRequest): number | null {
    const token = /^token (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? this.installationTokens.get(token) : undefined;
    if (!issued || Date.parse(issued.expiresAt) <= Date.now()) return null;
    return issued.installationId;
  }

  /** Verifies an App JWT (RS256 over header.payload, `iss` = app id, not expired) as GitHub does. */
  private verifyJwt(req: RecordedRequest): boolean {
    const jwt = /^bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!jwt || !this.app) return false;
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) return false;
    const valid = verifySignature('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.app.publicKey, Buffer.from(signature, 'base64url'));
    if (!valid) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown; exp?: number; iat?: number };
    const now = Math.floor(Date.now() / 1000);
    return String(claims.iss) === String(this.app.id) && (claims.exp ?? 0) > now && (claims.iat ?? Infinity) <= now + 60;
  }

  private appRoute(req: RecordedRequest): Reply {
    if (!this.verifyJwt(req)) {
      return json(401, { message: 'A JSON web token could not be decoded', documentation_url: 'https://docs.github.com/rest' });
    }
    const app = this.app as FakeApp;
    if (req.method === 'GET' && req.route === '/app') return json(200, { id: app.id, slug: app.slug, name: app.slug });
    const repoInstallation = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(req.route);
    if (req.method === 'GET' && repoInstallation) {
      const id = this.repositoryInstallations.get(`${repoInstallation[1]}/${repoInstallation[2]}`.toLowerCase());
      return id ? json(200, { id, app_id: app.id }) : NOT_FOUND;
    }
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.route);
    if (req.method === 'POST' && m) {
      const installationId = Number(m[1]);
      const token = `ghs_fakeInstallation${installationId}x${this.installationTokens.size + 1}abcdef`;
      const expiresAt = new Date(Date.now() + this.tokenLifetimeMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
      this.installationTokens.set(token, { installationId, expiresAt });
      return json(201, { token, expires_at: expiresAt, permissions: { actions: 'write', issues: 'write', checks: 'read', pull_requests: 'read', metadata: 'read' }, repository_selection: 'all' });
    }
    return NOT_FOUND;
  }

  private commentJson(comment: FakeComment, m: string[] | null): Record<string, unknown> {
    return { ...comment, html_url: `https://github.com/${m?.[0]}/${m?.[1]}/pull/1#issuecomment-${comment.id}` };
  }

  /** GitHub-style pagination: `per_page` (max 100, default 30), `page`, and a Link header with absolute URLs. */
  private paginate<T>(req: RecordedRequest, url: URL, all: T[]): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
    const page = Number(req.query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const linkTo = (n: number): string => {
      const next = new URL(url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(n));
      return next.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${linkTo(page + 1)}>; rel="next"`, `<${linkTo(last)}>; rel="last"`);
    if (page > 1) links.push(`<${linkTo(1)}>; rel="first"`, `<${linkTo(page - 1)}>; rel="prev"`);
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length > 0 ? { link: links.join(', ') } : {},
    };
  }
}

/** A client of the fake with test-speed retries and pacing. */
export function clientFor(fake: FakeGitHub, overrides: Partial<GitHubClientOptions> = {}) {
  return createGitHubClient({
    token: FAKE_TOKEN,
    baseUrl: fake.baseUrl,
    botLogin: BOT_LOGIN,
    retries: 2,
    retryBaseDelayMs: 1,
    writeIntervalMs: 0,
    ...overrides,
  });
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}
