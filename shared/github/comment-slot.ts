import { GitHubUnavailableError } from '../errors.js';
import { COMMENT_MARKER } from '../notify/comment.js';
import type { GitHubClients, GitHubPort } from '../ports.js';
import { type CommentSlots, commentSlotKey, commitCommentSlotKey } from '../stores/comment-slots.js';

export interface CommentSlotOptions {
  /** How long a writer that lost the claim waits in-process for the winner's comment id before giving up (retryable). */
  waitMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One PR comment under concurrency: `upsertComment` claims the pull request's comment slot before it may create
 * a comment. The winner creates (or finds) the comment and records its id; a loser waits until the id is recorded
 * and then updates that comment (the port finds it by marker and author). Waiting too long throws a retryable
 * error, so the state machine backs off instead of posting a second comment.
 *
 * The slot is the incident comment's (`COMMENT_MARKER`): a comment with another marker (an answer to a `/guard`
 * command) is its own comment and passes by. Through the slot it would take the pull request's slot and record
 * its own id there, and every incident comment after it would be created unguarded; or wait, in a webhook that
 * has 10 s in all, for an incident comment being created.
 *
 * `commentOnCommit` claims the run's slot on the commit the same way: two executions of one run (a retried step
 * beside a re-driven execution) each found no comment and each posted one. The loser is answered with the winner's
 * comment as it stands (`unchanged`, without a URL): a commit comment is never edited, and reading GitHub's list
 * again could miss a comment created a moment ago.
 */
export function withCommentSlot(port: GitHubPort, slots: CommentSlots, options: CommentSlotOptions = {}): GitHubPort {
  const waitMs = options.waitMs ?? 15_000;
  const pollMs = options.pollMs ?? 250;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** `create` under the slot `key`; `created(commentId)` for a writer that finds the comment made by another. */
  async function underSlot<T extends { commentId: number }>(key: string, create: () => Promise<T>, created: (commentId: number) => Promise<T>): Promise<T> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claim = await slots.claim(key);
      if (claim.won) {
        try {
          const result = await create();
          await slots.record(key, claim.holder, result.commentId);
          return result;
        } catch (error) {
          await slots.release(key, claim.holder);
          throw error;
        }
      }
      if (claim.slot.commentId) return created(claim.slot.commentId);
      if (Date.now() >= deadline) {
        throw new GitHubUnavailableError(`another execution is creating the comment on ${key}; retry to update it`);
      }
      await sleep(pollMs);
    }
  }

  return {
    ...port,
    async upsertComment(repo, issueNumber, marker, body) {
      if (marker !== COMMENT_MARKER) return port.upsertComment(repo, issueNumber, marker, body);
      const write = () => port.upsertComment(repo, issueNumber, marker, body);
      // The comment exists: updating it in place cannot create a second one.
      return underSlot(commentSlotKey(repo.owner, repo.repo, issueNumber), write, write);
    },
    async commentOnCommit(repo, sha, marker, body) {
      return underSlot(
        commitCommentSlotKey(repo.owner, repo.repo, sha, marker),
        () => port.commentOnCommit(repo, sha, marker, body),
        async (commentId) => ({ outcome: 'unchanged' as const, commentId, url: null }),
      );
    },
  };
}

/** Every installation's client with the comment slot. */
export function withCommentSlots(clients: GitHubClients, slots: CommentSlots, options: CommentSlotOptions = {}): GitHubClients {
  const wrapped = new WeakMap<GitHubPort, GitHubPort>();
  return {
    ...clients,
    forInstallation(installationId, signal) {
      const port = clients.forInstallation(installationId, signal);
      if (!port) return null;
      let slotted = wrapped.get(port);
      if (!slotted) {
        slotted = withCommentSlot(port, slots, options);
        wrapped.set(port, slotted);
      }
      return slotted;
    },
  };
}
