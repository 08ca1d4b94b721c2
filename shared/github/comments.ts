/**
 * The bot's comments on pull requests and commits, and the reactions on them (notify, ingest's command answers,
 * the reaction readers). Creating a comment is never repeated blindly: automatic retries are off for its POST, and
 * after an ambiguous failure (a 5xx or a dropped connection, where GitHub may have applied the write before
 * failing) the thread is read again before trying once more.
 */
import type * as z from '../zod.js';
import { GitHubUnavailableError, ValidationError } from '../errors.js';
import type { CommentOutcome, CommentReaction, GitHubPort, RepoRef } from '../ports.js';
import { fitCommentBody, MAX_MARKER_CHARS } from './comment-limit.js';
import { COMMENT_POST_TIMEOUT_MS, commentCreationBoundMs, retryBackoffMs } from './comment-timing.js';
import { GitHubRequestError } from './errors.js';
import { listingsOf } from './listings.js';
import { type GitHubRest, parseBody, sleep } from './rest.js';
import { type Comment, commentSchema, commentsPageSchema, reactionsPageSchema } from './listing-schemas.js';

export type CommentsPort = Pick<GitHubPort, 'upsertComment' | 'commentOnCommit' | 'listCommentReactions' | 'commentReactionsPage' | 'addCommentReaction'>;

const MAX_COMMENT_PAGES = 30;

const REACTIONS_ROUTE = 'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions';

const commentReaction = (r: z.infer<typeof reactionsPageSchema>[number]): CommentReaction => ({
  user: r.user?.login ?? '',
  content: r.content,
  userType: r.user?.type ?? null,
  createdAt: r.created_at ?? null,
});

type UpsertResult = { outcome: CommentOutcome; commentId: number; url: string | null };

function sameLogin(a: string | undefined, b: string): boolean {
  // GitHub logins are case-insensitive.
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function sameBody(a: string | null | undefined, b: string): boolean {
  return (a ?? '').replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

export function commentsOf(rest: GitHubRest): CommentsPort {
  const { call, acquire, botLogin, retries, unitMs, commentTiming } = rest;
  // A comment POST's per-attempt limit, and the bound of one comment creation (shared/github/comment-timing.ts).
  const commentPostMs = commentTiming?.postTimeoutMs ?? COMMENT_POST_TIMEOUT_MS;
  const creationBoundMs = commentCreationBoundMs({ retries, retryBaseDelayMs: unitMs, ...(commentTiming ? { timing: commentTiming } : {}) });
  const { pages, onePage, firstItems } = listingsOf(rest);


  /**
   * What writing the bot's comment `marker` in `thread` starts from: the marker checked, the body fitted to GitHub's
   * limit with the marker kept, the bot's login, and its comment there if it has one already.
   */
  async function openThread(thread: CommentThread, marker: string, body: string) {
    if (marker.trim() === '') throw new ValidationError('the comment marker must not be empty');
    if (marker.length > MAX_MARKER_CHARS) throw new ValidationError(`the comment marker is longer than ${MAX_MARKER_CHARS} characters`);
    const startedAt = Date.now();
    const text = fitCommentBody(body, marker);
    const login = await botLogin();
    return { thread, text, login, startedAt, existing: await findBotComment(thread, marker, login) };
  }

  function markedBy(body: string, marker: string): boolean {
    const text = body.trim();
    return text.startsWith(marker) || text.endsWith(marker);
  }

  /**
   * Where a comment of the bot's is listed (GET) and created (POST): an issue or pull request, or a commit. `label`
   * (`#12 in o/r`, `commit 0123abc… in o/r`) is what error messages name.
   */
  interface CommentThread {
    label: string;
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments' | '/repos/{owner}/{repo}/commits/{commit_sha}/comments';
    params: Record<string, string | number>;
  }

  const issueThread = (repo: RepoRef, issue_number: number): CommentThread => ({
    label: `#${issue_number} in ${repo.owner}/${repo.repo}`,
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    params: { owner: repo.owner, repo: repo.repo, issue_number },
  });

  const commitThread = (repo: RepoRef, commit_sha: string): CommentThread => ({
    label: `commit ${commit_sha.slice(0, 12)} in ${repo.owner}/${repo.repo}`,
    path: '/repos/{owner}/{repo}/commits/{commit_sha}/comments',
    params: { owner: repo.owner, repo: repo.repo, commit_sha },
  });

  async function findBotComment(thread: CommentThread, marker: string, login: string): Promise<Comment | undefined> {
    const what = `list comments of ${thread.label}`;
    for await (const page of pages(what, `GET ${thread.path}`, thread.params, commentsPageSchema, MAX_COMMENT_PAGES)) {
      // The author check matters: anyone can paste our marker into their own comment, and we must not adopt it.
      // The marker is where we put it (first, or last as fitCommentBody appends it), not anywhere: our incident
      // comment quotes log lines, and a job can print another comment's marker (a command answer's) in one.
      const found = page.find((comment) => markedBy(comment.body ?? '', marker) && sameLogin(comment.user?.login, login));
      if (found) return found;
    }
    return undefined;
  }

  /** Brings an existing bot comment to `text`. Null when it was deleted between listing and editing. */
  async function updateComment(repo: RepoRef, existing: Comment, text: string): Promise<UpsertResult | null> {
    if (sameBody(existing.body, text)) {
      return { outcome: 'unchanged', commentId: existing.id, url: existing.html_url ?? null };
    }
    const what = `update comment ${existing.id} in ${repo.owner}/${repo.repo}`;
    await acquire('comment');
    try {
      // PATCH with the full body is idempotent, so the retry plugin may repeat it freely.
      const response = await call(what, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: repo.owner,
        repo: repo.repo,
        comment_id: existing.id,
        body: text,
      });
      const comment = parseBody(commentSchema, response, what);
      return { outcome: 'updated', commentId: comment.id, url: comment.html_url ?? null };
    } catch (error) {
      if (error instanceof GitHubRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * `startedAt`: when this upsert began (after the caller claimed the comment slot). No POST starts later than one
   * attempt's timeout before the creation bound, and each is aborted after that timeout, so none is still in flight
   * when the slot's lease (shared/github/comment-timing.ts) lets another writer take over. `adopt`: what a comment of
   * the bot's found on a retry becomes (the failed POST before it was applied); null posts again.
   */
  async function createComment(
    thread: CommentThread,
    marker: string,
    text: string,
    login: string,
    startedAt: number,
    adopt: (found: Comment) => Promise<UpsertResult | null>,
  ): Promise<UpsertResult> {
    const what = `comment on ${thread.label}`;
    const startBy = startedAt + creationBoundMs - commentPostMs;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) {
        await sleep(retryBackoffMs(unitMs, attempt));
        // The failed POST may have been applied before GitHub answered: look before posting a second comment.
        const found = await findBotComment(thread, marker, login);
        const adopted = found ? await adopt(found) : null;
        if (adopted) return adopted.outcome === 'unchanged' ? { ...adopted, outcome: 'created' } : adopted;
      }
      await acquire('comment');
      try {
        const response = await call(what, `POST ${thread.path}`, {
          ...thread.params,
          body: text,
          // No blind retries: a 502 after GitHub stored the comment would otherwise post it twice.
          request: { retries: 0, startBy, attemptTimeoutMs: commentPostMs },
        });
        const comment = parseBody(commentSchema, response, what);
        return { outcome: 'created', commentId: comment.id, url: comment.html_url ?? null };
      } catch (error) {
        if (!(error instanceof GitHubUnavailableError)) throw error;
        lastError = error;
        // Past the point where a POST may start: the state machine's retry comes back after the lease instead.
        if (Date.now() > startBy) break;
      }
    }
    throw lastError;
  }

  return {
    async upsertComment(repo, issueNumber, marker, body) {
      const { thread, text, login, startedAt, existing } = await openThread(issueThread(repo, issueNumber), marker, body);
      if (existing) {
        const result = await updateComment(repo, existing, text);
        if (result) return result;
      }
      return createComment(thread, marker, text, login, startedAt, (found) => updateComment(repo, found, text));
    },

    async commentOnCommit(repo, sha, marker, body) {
      const { thread, text, login, startedAt, existing } = await openThread(commitThread(repo, sha), marker, body);
      // Created once and left as it is: editing a commit comment takes Contents write, which the guard never asks.
      const kept = async (found: Comment) => ({ outcome: 'unchanged' as const, commentId: found.id, url: found.html_url ?? null });
      if (existing) return kept(existing);
      // Created by this call, or by its own earlier POST that a retry found: both are this call's comment.
      const created = await createComment(thread, marker, text, login, startedAt, kept);
      return { ...created, outcome: 'created' as const };
    },

    async listCommentReactions(repo, commentId, content, limit, beforePage) {
      const what = `list ${content} reactions on comment ${commentId} in ${repo.owner}/${repo.repo}`;
      const { items } = await firstItems(what, REACTIONS_ROUTE, { owner: repo.owner, repo: repo.repo, comment_id: commentId, content }, reactionsPageSchema, limit, beforePage);
      return items.map(commentReaction);
    },

    async commentReactionsPage(repo, commentId, content, page) {
      const what = `list ${content} reactions on comment ${commentId} in ${repo.owner}/${repo.repo} (page ${page})`;
      const { items, more } = await onePage(what, REACTIONS_ROUTE, { owner: repo.owner, repo: repo.repo, comment_id: commentId, content }, reactionsPageSchema, page);
      return { items: items.map(commentReaction), more };
    },

    async addCommentReaction(repo, commentId, content) {
      const what = `react ${content} to comment ${commentId} in ${repo.owner}/${repo.repo}`;
      await acquire('comment');
      // Idempotent on GitHub's side (a repeat answers 200 with the existing reaction): retries may repeat it.
      await call(what, 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
    },
  };
}
