import * as z from 'zod';
import { proseOf } from '../domain/comment-text.js';
import type { Incident } from '../domain/incident.js';
import type { Clock } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { FeedbackVote, Learning } from './learning.js';

/**
 * Human feedback on an incident: `/guard feedback up|down [comment]` in a PR comment (an `issue_comment` webhook).
 * Only users with write access count, one vote per user and incident (a changed vote moves the counters).
 */

const MAX_FEEDBACK_COMMENT = 500;
/** GitHub caps comment bodies at 65,536 characters; anything larger is not a real comment. */
const MAX_COMMENT_BODY = 65_536;

const COMMAND = /^\s*\/guard\s+feedback\s+(up|down|👍|👎|\+1|-1)(?:[ \t]+([^\r\n]*))?\s*$/im;

/** Parses the first `/guard feedback …` line of a comment's prose (see `proseOf`); null when it has none. */
export function parseFeedbackCommand(body: string): { vote: FeedbackVote; comment: string | null } | null {
  const match = COMMAND.exec(proseOf(body.slice(0, MAX_COMMENT_BODY)));
  if (!match) return null;
  const word = match[1] ?? '';
  const vote: FeedbackVote = word === 'up' || word === '👍' || word === '+1' ? 'up' : 'down';
  // Stored, never rendered as Markdown; control characters are dropped so the text stays one plain line.
  const comment = (match[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_FEEDBACK_COMMENT);
  return { vote, comment: comment || null };
}

export const issueCommentPayload = z.object({
  action: z.string().max(50),
  issue: z.object({ number: z.number().int().positive(), pull_request: z.object({}).passthrough().nullable().optional() }),
  comment: z.object({
    id: z.number().int(),
    body: z.string().max(MAX_COMMENT_BODY).nullable(),
    user: z.object({ login: z.string().min(1).max(100), type: z.string().max(50).optional() }),
    /** When it was written (GitHub's clock): a redelivered old comment keeps it. */
    created_at: z.string().max(40).nullable().optional(),
  }),
  repository: z.object({ full_name: z.string().min(3).max(200), name: z.string().min(1).max(100), owner: z.object({ login: z.string().min(1).max(100) }) }),
  installation: z.object({ id: z.number().int() }).nullable().optional(),
});
export type IssueComment = z.infer<typeof issueCommentPayload>;

export interface FeedbackDeps {
  incidents: IncidentStore;
  learning: Learning;
  clock: Clock;
}

/** The incident a `/guard feedback` comment votes on: the pull request's newest, or null when it has none. */
export async function incidentForFeedback(payload: IssueComment, deps: Pick<FeedbackDeps, 'incidents'>): Promise<Incident | null> {
  // The pull request index, newest first, names the incident; it is read again by key, as the index may lag.
  const [newest] = await deps.incidents.listByPullRequest(payload.repository.full_name, payload.issue.number, 1);
  return newest ? await deps.incidents.get(newest.id) : null;
}

/**
 * Records a `/guard feedback` vote from a user whose write access the caller checked, on `incident` (see
 * {@link incidentForFeedback}). One vote per user and incident (a changed vote moves the counters).
 */

export async function applyFeedback(
  payload: IssueComment,
  command: { vote: FeedbackVote; comment: string | null },
  incident: Incident,
  deps: FeedbackDeps,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const login = payload.comment.user.login;
  const result = await deps.learning.onFeedback(incident, command.vote, login, command.comment);
  await deps.incidents.update(incident.id, {}, {
    history: [{ at: deps.clock().toISOString(), event: 'feedback', detail: `${command.vote} from ${login}${result.counted ? '' : ' (unchanged)'}` }],
  });
  return { statusCode: 202, body: { incidentId: incident.id, vote: command.vote, counted: result.counted } };
}
