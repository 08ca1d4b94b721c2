import * as z from '../zod.js';
import { GITHUB_COMMENT_MAX_BYTES, withinGitHubCommentLimit } from '../domain/comment-limit.js';
import { commandLine, leadingIncidentId } from '../domain/comment-text.js';
import type { Incident } from '../domain/incident.js';
import { sameRepository } from '../domain/repository-key.js';
import type { Clock } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { FeedbackVote, Votes } from './votes.js';

/**
 * Human feedback on an incident: `/guard feedback up|down [incident] [comment]` in a PR comment (an `issue_comment`
 * webhook). Only users with write access count, one vote per user and incident (a changed vote moves the counters).
 */

const MAX_FEEDBACK_COMMENT = 500;
/** One line of a comment (see `commandLine`): the command at its start, and its words to the end of the line. */
const COMMAND = /^\/guard[ \t]+feedback[ \t]+(up|down|👍|👎|\+1|-1)(?:[ \t]+([^]*))?\s*$/i;

export interface FeedbackCommand {
  vote: FeedbackVote;
  /** The incident voted on; without it, the pull request's only incident (see {@link feedbackTarget}). */
  incidentId: string | null;
  comment: string | null;
}

/** Parses the first `/guard feedback …` line of a comment, if it counts (see `commandLine`); null otherwise. */
export function parseFeedbackCommand(body: string): FeedbackCommand | null {
  const line = commandLine(body, COMMAND);
  if (line.kind !== 'read') return null;
  const { match } = line;
  // Compared in lower case, as the pattern matched it: `/guard feedback Up` is an up vote, not a down one.
  const word = (match[1] ?? '').toLowerCase();
  const vote: FeedbackVote = word === 'up' || word === '👍' || word === '+1' ? 'up' : 'down';
  // Stored, never rendered as Markdown; control characters are dropped so the text stays one plain line.
  const { incidentId, rest } = leadingIncidentId((match[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim());
  const comment = rest.slice(0, MAX_FEEDBACK_COMMENT);
  return { vote, incidentId, comment: comment || null };
}

export const issueCommentPayload = z.object({
  action: z.string().check(z.maxLength(50)),
  issue: z.object({ number: z.number().check(z.int(), z.positive()), pull_request: z.nullish(z.looseObject({})) }),
  comment: z.object({
    id: z.number().check(z.int()),
    body: z.nullable(z.string().check(z.refine(withinGitHubCommentLimit, `must be within GitHub's comment bound (${GITHUB_COMMENT_MAX_BYTES} UTF-8 bytes)`))),
    user: z.object({ login: z.string().check(z.minLength(1), z.maxLength(100)), type: z.optional(z.string().check(z.maxLength(50))) }),
    /** The author's relation to the repository (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, …). */
    author_association: z.optional(z.string().check(z.maxLength(40))),
    /** When it was written (GitHub's clock): a redelivered old comment keeps it. */
    created_at: z.nullish(z.string().check(z.maxLength(40))),
  }),
  repository: z.object({
    /**
     * GitHub's id, which a rename does not change nor pass to anyone else (see `sameRepository`). Every delivery has
     * it; a command without it could not be matched to a proposal indexed by it.
     */
    id: z.number().check(z.int(), z.positive()),
    full_name: z.string().check(z.minLength(3), z.maxLength(200)),
    name: z.string().check(z.minLength(1), z.maxLength(100)),
    owner: z.object({ login: z.string().check(z.minLength(1), z.maxLength(100)) }),
  }),
  installation: z.nullish(z.object({ id: z.number().check(z.int()) })),
});
export type IssueComment = z.infer<typeof issueCommentPayload>;

export interface FeedbackDeps {
  incidents: IncidentStore;
  learning: Votes;
  clock: Clock;
}

/** Incidents of a pull request listed for a `/guard feedback` that names none: enough to name them in the answer. */
const MAX_LISTED_INCIDENTS = 10;

/**
 * What a `/guard feedback` comment votes on: `incident`; `none` when the pull request has no incident; `ambiguous`
 * when it names none and the pull request has several; `elsewhere` when the one it names is not of this pull request.
 */
export type FeedbackTarget =
  | { kind: 'incident'; incident: Incident }
  | { kind: 'none' }
  | { kind: 'ambiguous'; incidentIds: string[] }
  | { kind: 'elsewhere'; incidentId: string };

/**
 * The incident a `/guard feedback` comment votes on: the one it names, if that is an incident of the pull request
 * commented on; without a name, the pull request's only incident. A pull request can have several (other workflows,
 * other CI systems, re-run attempts), and a vote meant for one and credited to another (the newest, as it used to
 * be) teaches the knowledge base, the false-positive rate and the experiments the wrong outcome: then the command
 * must name one.
 */
export async function feedbackTarget(payload: IssueComment, incidentId: string | null, deps: Pick<FeedbackDeps, 'incidents'>): Promise<FeedbackTarget> {
  const repository = payload.repository.full_name;
  const pullRequest = payload.issue.number;
  if (incidentId) {
    const named = await deps.incidents.get(incidentId);
    const here = named !== null && sameRepository(named, payload.repository) && named.pullRequest === pullRequest;
    return here ? { kind: 'incident', incident: named } : { kind: 'elsewhere', incidentId };
  }
  // The pull request index names them (of this repository only: not another's that took over a renamed account's
  // name); the only one is read again by key, as the index may lag.
  const listed = await deps.incidents.listByPullRequest({ name: repository, id: payload.repository.id }, pullRequest, MAX_LISTED_INCIDENTS);
  if (listed.length > 1) return { kind: 'ambiguous', incidentIds: listed.map((incident) => incident.id) };
  const only = listed[0] ? await deps.incidents.get(listed[0].id) : null;
  return only ? { kind: 'incident', incident: only } : { kind: 'none' };
}

/**
 * Records a `/guard feedback` vote from a user whose write access the caller checked, on `incident` (see
 * {@link feedbackTarget}). One vote per user and incident (a changed vote moves the counters).
 */

export async function applyFeedback(
  payload: IssueComment,
  command: FeedbackCommand,
  incident: Incident,
  deps: FeedbackDeps,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const login = payload.comment.user.login;
  const result = await deps.learning.onFeedback(incident, command.vote, login, command.comment, { via: 'command', writtenAt: payload.comment.created_at ?? null });
  await deps.incidents.update(incident.id, {}, {
    history: [{ at: deps.clock().toISOString(), event: 'feedback', detail: `${command.vote} from ${login}${result.counted ? '' : ' (unchanged)'}` }],
  });
  return { statusCode: 202, body: { incidentId: incident.id, vote: command.vote, counted: result.counted } };
}
