import type { Webhooks } from '@octokit/webhooks';
import { z } from 'zod';
import type { Clock, GitHubClients } from '../ports.js';
import type { StepLogger } from '../steps/deps.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { FeedbackVote, Learning } from './learning.js';

/**
 * Human feedback on an incident: `/guard feedback up|down [comment]` in a PR comment (an `issue_comment` webhook).
 * Only users with write access count, one vote per user and incident (a changed vote moves the counters).
 */

/** Roles that may give feedback: the ones that could have fixed or reverted the change themselves. */
const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);
const MAX_FEEDBACK_COMMENT = 500;
/** GitHub caps comment bodies at 65,536 characters; anything larger is not a real comment. */
const MAX_COMMENT_BODY = 65_536;

const COMMAND = /^\s*\/guard\s+feedback\s+(up|down|👍|👎|\+1|-1)(?:[ \t]+([^\r\n]*))?\s*$/im;

/** Parses the first `/guard feedback …` line of a comment; null when the comment has none. */
export function parseFeedbackCommand(body: string): { vote: FeedbackVote; comment: string | null } | null {
  const match = COMMAND.exec(body.slice(0, MAX_COMMENT_BODY));
  if (!match) return null;
  const word = match[1] ?? '';
  const vote: FeedbackVote = word === 'up' || word === '👍' || word === '+1' ? 'up' : 'down';
  // Stored, never rendered as Markdown; control characters are dropped so the text stays one plain line.
  const comment = (match[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_FEEDBACK_COMMENT);
  return { vote, comment: comment || null };
}

const issueCommentPayload = z.object({
  action: z.string().max(50),
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({}).passthrough().nullable().optional() }),
  comment: z.object({
    id: z.number().int(),
    body: z.string().max(MAX_COMMENT_BODY).nullable(),
    user: z.object({ login: z.string().min(1).max(100), type: z.string().max(50).optional() }),
  }),
  repository: z.object({ full_name: z.string().min(3).max(200), name: z.string().min(1).max(100), owner: z.object({ login: z.string().min(1).max(100) }) }),
  installation: z.object({ id: z.number().int() }).nullable().optional(),
});

export interface FeedbackDeps {
  webhooks: Pick<Webhooks, 'verify'>;
  maxBodyBytes: number;
  incidents: IncidentStore;
  learning: Learning;
  github: GitHubClients;
  clock: Clock;
  logger: StepLogger;
}

export interface FeedbackResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Handles an `issue_comment` delivery: size cap and HMAC on the raw bytes first (exactly as the workflow_run path
 * does), then the command, the author's permission, the incident of that pull request, and the vote.
 */
export async function handleFeedbackWebhook(
  request: { headers: Record<string, string | undefined>; body: string | null; isBase64Encoded: boolean },
  deps: FeedbackDeps,
): Promise<FeedbackResponse> {
  const bytes = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64') : Buffer.from(request.body ?? '', 'utf8');
  if (bytes.length > deps.maxBodyBytes) return { statusCode: 413, body: { message: `body is over the ${deps.maxBodyBytes}-byte limit` } };
  const signature = header(request.headers, 'x-hub-signature-256');
  if (!signature) return { statusCode: 401, body: { message: 'missing X-Hub-Signature-256 header' } };
  const text = bytes.toString('utf8');
  const valid = await deps.webhooks.verify(text, signature).catch(() => false);
  if (!valid) return { statusCode: 401, body: { message: 'X-Hub-Signature-256 does not match the body' } };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { statusCode: 400, body: { message: 'body is not valid JSON' } };
  }
  const parsed = issueCommentPayload.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { statusCode: 400, body: { message: `invalid issue_comment payload at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` } };
  }
  const payload = parsed.data;
  const ignore = (reason: string) => ({ statusCode: 202, body: { ignored: reason } });
  if (payload.action !== 'created') return ignore(`issue_comment action ${payload.action} is not acted on`);
  const command = parseFeedbackCommand(payload.comment.body ?? '');
  if (!command) return ignore('no /guard command');
  if (!payload.issue.pull_request) return ignore('feedback is taken on pull requests only');
  if (payload.comment.user.type === 'Bot') return ignore('feedback from bots is not counted');

  const repository = payload.repository.full_name;
  const github = deps.github.forInstallation(payload.installation?.id ?? null);
  if (!github) return ignore('no GitHub access configured to check the author\'s permission');
  const login = payload.comment.user.login;
  const permission = await github.repositoryPermission({ owner: payload.repository.owner.login, repo: payload.repository.name }, login);
  if (!WRITE_ROLES.has(permission)) return ignore(`${login} has ${permission} access; feedback needs write access`);

  const incidentId = await deps.learning.latestIncidentForPullRequest(repository, payload.issue.number);
  const incident = incidentId ? await deps.incidents.get(incidentId) : null;
  if (!incident) return ignore(`no incident recorded for ${repository}#${payload.issue.number}`);
  const result = await deps.learning.onFeedback(incident, command.vote, login, command.comment);
  await deps.incidents.update(incident.id, {}, {
    history: [{ at: deps.clock().toISOString(), event: 'feedback', detail: `${command.vote} from ${login}${result.counted ? '' : ' (unchanged)'}` }],
  });
  return { statusCode: 202, body: { incidentId: incident.id, vote: command.vote, counted: result.counted } };
}
