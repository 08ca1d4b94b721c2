/**
 * A late read of reactions (./late-reactions.ts) that its run's GitHub calls do not cover resumes in the next run
 * where it stopped, rather than from the start: one incident can need up to 45 calls (5 pages of 👍, 5 of 👎, 10 of
 * collaborators, 25 permissions), more than a deployer may allow a run (RECONCILE_MAX_REACTION_CALLS_PER_RUN), and
 * read from the start each time it would never finish, while every incident behind it waited. Each run reads at least
 * one more page or permission of it, so it finishes within as many runs as it needs calls.
 *
 * What was read is kept on the read's due entry (shared/stores/reaction-reads.ts) as {@link ReadProgress}: the pages of
 * each list read so far and the permissions asked. It is read back from the store, so checked and bounded by the
 * reader's own limits (shared/knowledge/reactions.ts), and only for the comment it was read from: what does not fit
 * starts the read again. A list read over several runs may have shifted between its pages (see `readAcrossRuns` in
 * shared/knowledge/reactions.ts), which the progress says.
 */
import * as z from '../zod.js';
import { ReadBudgetSpentError } from '../errors.js';
import { COLLABORATORS_READ, PERMISSION_CHECKS, REACTIONS_READ } from '../knowledge/reactions.js';
import type { GitHubPort, ListPage, RepoRef, RepositoryRole } from '../ports.js';

const PAGE_SIZE = 100;
/** A read asks at most {@link PERMISSION_CHECKS}; room for as many more if the reacting users change between runs. */
const MAX_PERMISSIONS_KEPT = 2 * PERMISSION_CHECKS;
const roleSchema = z.enum(['admin', 'maintain', 'write', 'triage', 'read', 'none']);
const reactionSchema = z.object({
  user: z.string().check(z.maxLength(100)),
  content: z.string().check(z.maxLength(20)),
  userType: z.nullable(z.string().check(z.maxLength(50))),
  createdAt: z.nullable(z.string().check(z.maxLength(40))),
});

/** A list's pages read so far, in order, and whether GitHub has more after them. */
const listSchema = <T extends z.ZodMiniType>(item: T, max: number) =>
  z.object({ items: z.array(item).check(z.maxLength(max)), pages: z.number().check(z.int(), z.gte(0), z.lte(Math.ceil(max / PAGE_SIZE))), more: z.boolean() });

const progressSchema = z.object({
  /** The comment whose reactions these are. */
  commentId: z.number().check(z.int()),
  reactions: z.object({ '+1': z.optional(listSchema(reactionSchema, REACTIONS_READ)), '-1': z.optional(listSchema(reactionSchema, REACTIONS_READ)) }),
  collaborators: z.optional(listSchema(z.object({ login: z.string().check(z.maxLength(100)), role: roleSchema }), COLLABORATORS_READ)),
  /** The users' permissions asked, each once. */
  permissions: z.array(z.object({ login: z.string().check(z.maxLength(100)), role: roleSchema })).check(z.maxLength(MAX_PERMISSIONS_KEPT)),
  /** Whether a reaction list was read over more than one run. */
  acrossRuns: z.boolean(),
});
export type ReadProgress = z.infer<typeof progressSchema>;
type ListProgress<T> = { items: T[]; pages: number; more: boolean };

/**
 * The progress to go on with for comment `commentId`: what was kept (`stored`) when it is well-formed and of that
 * comment, else none. A list left part-read then is finished now: read across runs.
 */
export function resumeProgress(stored: unknown, commentId: number): ReadProgress {
  const parsed = progressSchema.safeParse(stored);
  if (!parsed.success || parsed.data.commentId !== commentId) return { commentId, reactions: {}, permissions: [], acrossRuns: false };
  const partRead = Object.values(parsed.data.reactions).some((list) => list && list.pages > 0 && list.more);
  return { ...parsed.data, acrossRuns: parsed.data.acrossRuns || partRead };
}

/** The run's GitHub calls left: each request pays one before it is made, and once they are spent none is made. */
export interface CallBudget {
  left: number;
}

function spend(budget: CallBudget): void {
  if (budget.left <= 0) throw new ReadBudgetSpentError("this reconciler run's GitHub calls for reactions are spent");
  budget.left -= 1;
}

/** `list`'s pages read on from where they stopped, one request a page, until `limit` items or its end. */
async function readOn<T>(list: ListProgress<T>, limit: number, budget: CallBudget, page: (n: number) => Promise<ListPage<T>>): Promise<T[]> {
  while (list.more && list.items.length < limit) {
    spend(budget);
    const read = await page(list.pages + 1);
    list.items.push(...read.items);
    list.pages += 1;
    list.more = read.more;
  }
  return list.items.slice(0, limit);
}

/**
 * `port` for one incident's reaction read, paid from `budget` and resuming from `progress`, which it keeps up to date:
 * pages read in an earlier run and permissions asked then are not requested again.
 */
export function resumableReads(port: GitHubPort, budget: CallBudget, progress: ReadProgress): GitHubPort {
  return {
    ...port,
    async listCommentReactions(repo, commentId, content, limit) {
      const list = (progress.reactions[content] ??= { items: [], pages: 0, more: true });
      return readOn(list, limit, budget, (n) => port.commentReactionsPage(repo, commentId, content, n));
    },
    async listCollaborators(repo, limit) {
      const list = (progress.collaborators ??= { items: [], pages: 0, more: true });
      const collaborators = await readOn(list, limit, budget, (n) => port.collaboratorsPage(repo, n));
      return { collaborators, complete: !list.more && list.items.length < limit };
    },
    async repositoryPermission(repo: RepoRef, username: string): Promise<RepositoryRole> {
      const login = username.toLowerCase();
      const asked = progress.permissions.find((known) => known.login === login);
      if (asked) return asked.role;
      spend(budget);
      const role = await port.repositoryPermission(repo, username);
      // Past its bound (the reacting users changed between runs), asked again if the read resumes: never over it.
      if (progress.permissions.length < MAX_PERMISSIONS_KEPT) progress.permissions.push({ login, role });
      return role;
    },
  };
}
