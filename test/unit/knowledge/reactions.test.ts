import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { botCommentId, collectReactionFeedback } from '../../../shared/knowledge/reactions.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import type { RepositoryRole } from '../../../shared/ports.js';
import { createFakeGitHub } from '../../support/fakes.js';

function incident(withComment = true) {
  return newIncident(
    {
      id: 'gh-1-2-1',
      source: 'github',
      repository: 'acme/app',
      pullRequest: 7,
      notifications: withComment ? [{ channel: 'github_comment', target: 'acme/app#7', outcome: 'created', detail: null, at: '2026-11-20T10:00:00Z', commentId: 99 }] : [],
    },
    new Date('2026-11-20T10:00:00Z'),
  );
}

function learning() {
  const votes: Array<[string, string]> = [];
  const withdrawals: Array<[number, string[]]> = [];
  return {
    votes,
    withdrawals,
    learning: {
      async onFeedback(_incident: unknown, vote: string, user: string) {
        votes.push([user, vote]);
        return { counted: true };
      },
      async withdrawReactionVotes(_incident: unknown, commentId: number, reacting: ReadonlySet<string>) {
        withdrawals.push([commentId, [...reacting].sort()]);
        return 0;
      },
    } as unknown as Learning,
  };
}

const createdAt = '2026-11-20T10:05:00Z';

/** A fake GitHub where each of `roles` has its role and `reactions` ([user, content], a bot's marked) are on the comment, in order. */
function commentWith(roles: Record<string, RepositoryRole>, reactions: Array<[string, string, ('User' | 'Bot')?]>) {
  const github = createFakeGitHub();
  for (const [user, role] of Object.entries(roles)) github.permissions.set(user, role);
  for (const [user, content, userType = 'User'] of reactions) github.reactions.push({ user, content, userType, createdAt });
  return github;
}

/** The reactions on `incident()`'s comment collected: how many counted, and the votes as the learning loop got them. */
async function collect(github: ReturnType<typeof createFakeGitHub>, logger = silentLogger) {
  const { votes, learning: learn } = learning();
  const counted = await collectReactionFeedback(incident(), github.port, { learning: learn, logger });
  return { counted, votes };
}

describe('reaction feedback', () => {
  it('counts 👍/👎 from users with write access only, once per user, ignoring bots and mixed votes', async () => {
    const github = commentWith({ maya: 'write', lee: 'admin', sam: 'maintain', 'drive-by': 'read' }, [
      ['maya', '+1'],
      ['lee', '-1'],
      ['drive-by', '-1'],
      ['sam', '+1'],
      ['sam', '-1'],
      ['maya', 'heart'],
      ['renovate[bot]', '+1', 'Bot'],
    ]);

    const { counted, votes } = await collect(github);

    expect(counted).toBe(2);
    expect(votes).toEqual([['maya', 'up'], ['lee', 'down']]);
    expect(github.calls.filter((c) => c.method === 'listCommentReactions').map((c) => c.args)).toEqual([
      [{ owner: 'acme', repo: 'app' }, 99, '+1', 500],
      [{ owner: 'acme', repo: 'app' }, 99, '-1', 500],
    ]);
  });

  it('does nothing before the bot has commented', async () => {
    const github = createFakeGitHub();
    const { votes, learning: learn } = learning();

    expect(botCommentId(incident(false))).toBeNull();
    expect(await collectReactionFeedback(incident(false), github.port, { learning: learn, logger: silentLogger })).toBe(0);
    expect(votes).toEqual([]);
  });

  it('logs instead of failing when reactions cannot be read', async () => {
    const github = createFakeGitHub();
    github.port.listCommentReactions = async () => {
      throw new Error('GitHub is down');
    };
    const { learning: learn } = learning();

    expect(await collectReactionFeedback(incident(), github.port, { learning: learn, logger: silentLogger })).toBe(0);
  });
});

describe('reaction feedback that changed', () => {
  it("counts each writer's latest reaction, and asks to take back the others' reaction votes only when every reaction was read", async () => {
    // Prepare: maya 👍 then 👎 (both still listed); then the same with 500 outsiders' 👍 before them
    const reactions = (extra: Array<{ user: string; content: string; userType: string; createdAt: string }>) => {
      const github = commentWith({ maya: 'write' }, []);
      github.reactions.push(...extra, { user: 'maya', content: '+1', userType: 'User', createdAt: '2026-11-20T10:05:00Z' }, { user: 'maya', content: '-1', userType: 'User', createdAt: '2026-11-20T10:06:00Z' });
      return github;
    };
    const outsiders = Array.from({ length: 500 }, (_, i) => ({ user: `drive-by-${i}`, content: '+1', userType: 'User', createdAt }));

    // Act
    const read = learning();
    await collectReactionFeedback(incident(), reactions([]).port, { learning: read.learning, logger: silentLogger });
    const partly = learning();
    await collectReactionFeedback(incident(), reactions(outsiders).port, { learning: partly.learning, logger: silentLogger });

    // Assert: read whole, the 👎 counts and the users with a reaction keep their votes; read in part, a user
    // missing from the 500 listed may have a reaction that was not read, so nothing is taken back
    expect(read.votes).toEqual([['maya', 'down']]);
    expect(read.withdrawals).toEqual([[99, ['maya']]]);
    expect(partly.withdrawals).toEqual([]);
  });
});

describe('reaction feedback when outsiders react first', () => {
  /** `count` accounts without write access, each with a 👍, to list before anyone else's reaction. */
  const outsiders = (count: number): Array<[string, string]> => Array.from({ length: count }, (_, i) => [`drive-by-${i}`, '+1']);

  it("checks every reacting user when 20 outsiders reacted before the maintainers (only the first 20 were checked)", async () => {
    // Prepare
    const github = commentWith({ maya: 'write', lee: 'admin' }, [...outsiders(20), ['maya', '-1'], ['lee', '+1']]);

    // Act
    const { counted, votes } = await collect(github);

    // Assert
    expect(counted).toBe(2);
    expect(votes).toEqual([['lee', 'up'], ['maya', 'down']]);
    expect(github.calls.filter((c) => c.method === 'repositoryPermission')).toHaveLength(22);
  });

  it("reads the collaborator list once when more users reacted than are checked one by one, so 300 outsiders cannot hide a maintainer", async () => {
    // Prepare: 300 outsiders, a read-only collaborator and a triager, then two maintainers
    const github = commentWith({ reader: 'read', triager: 'triage', Maya: 'maintain', lee: 'write' }, [
      ...outsiders(300),
      ['reader', '-1'],
      ['triager', '-1'],
      ['maya', '-1'],
      ['lee', '+1'],
    ]);

    // Act
    const { counted, votes } = await collect(github);

    // Assert: GitHub logins are case-insensitive (Maya listed, maya reacted); no per-user check was needed
    expect(counted).toBe(2);
    expect(votes).toEqual([['lee', 'up'], ['maya', 'down']]);
    expect(github.calls.filter((c) => c.method === 'listCollaborators').map((c) => c.args)).toEqual([[{ owner: 'acme', repo: 'app' }, 1000]]);
    expect(github.calls.filter((c) => c.method === 'repositoryPermission')).toEqual([]);
  });

  it('checks at most 25 users one by one, the first listed, when the collaborator list cannot settle them, and says so', async () => {
    // Prepare: the list is refused (a token that may not read it); 30 outsiders reacted before the maintainer
    const github = commentWith({ maya: 'write' }, [...outsiders(30), ['maya', '-1']]);
    github.port.listCollaborators = async () => {
      throw new Error('Resource not accessible by integration');
    };
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };

    // Act
    const { counted, votes } = await collect(github, logger);

    // Assert: beyond the bound a vote waits; it is not counted from an unchecked user
    expect(counted).toBe(0);
    expect(votes).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'repositoryPermission')).toHaveLength(25);
    expect(warnings).toEqual(['could not list the collaborators; checking reacting users one by one', "6 reacting users' permission not checked"]);
  });
});

describe('reaction feedback on a comment that shows one incident after another', () => {
  // The pull request has one bot comment, rewritten for each new incident: a 👍 is about the incident shown then.
  const shown = (id: string, at: string) =>
    newIncident(
      { id, source: 'github', repository: 'acme/app', pullRequest: 7, notifications: [{ channel: 'github_comment', target: 'acme/app#7', outcome: 'updated', detail: null, at, commentId: 99 }] },
      new Date(at),
    );

  /** The votes each of `shownIncidents` gets from `reactions` (all by users with write access) on the comment. */
  async function votesPerIncident(shownIncidents: Incident[], reactions: Array<{ user: string; content: string; createdAt: string }>) {
    const github = createFakeGitHub();
    for (const reaction of reactions) {
      github.permissions.set(reaction.user, 'write');
      github.reactions.push({ ...reaction, userType: 'User' });
    }
    const incidents = { listByPullRequest: async () => [...shownIncidents].reverse() };
    const votes: Array<Array<[string, string]>> = [];
    for (const incident of shownIncidents) {
      const counted = learning();
      await collectReactionFeedback(incident, github.port, { learning: counted.learning, logger: silentLogger, incidents });
      votes.push(counted.votes);
    }
    return votes;
  }

  it('credits each reaction to the incident the comment showed when it was made, and none made before', async () => {
    // Prepare: A shown from 10:00, B (say, a fork author's next failure) from 11:00
    const first = shown('gh-1-2-1', '2026-11-20T10:00:00Z');
    const second = shown('gh-1-3-1', '2026-11-20T11:00:00Z');

    // Act
    const [onFirst, onSecond] = await votesPerIncident(
      [first, second],
      [
        { user: 'ari', content: '+1', createdAt: '2026-11-20T09:00:00Z' },
        { user: 'maya', content: '+1', createdAt: '2026-11-20T10:30:00Z' },
        { user: 'lee', content: '-1', createdAt: '2026-11-20T11:30:00Z' },
      ],
    );

    // Assert
    expect(onFirst).toEqual([['maya', 'up']]);
    expect(onSecond).toEqual([['lee', 'down']]);
  });

  it('credits a reaction to the incident a later rewrite led with (a recovery), not the one shown before it', async () => {
    // Prepare: A shown at 10:00, B at 10:10, then the comment rewritten at 10:30 to lead with A's recovery
    const first = shown('gh-1-2-1', '2026-11-20T10:00:00Z');
    first.notifications.push({ channel: 'github_comment', target: 'acme/app#7', outcome: 'updated', detail: 'recovery', at: '2026-11-20T10:30:00Z', commentId: 99 });
    const second = shown('gh-1-3-1', '2026-11-20T10:10:00Z');

    // Act
    const [onFirst, onSecond] = await votesPerIncident([first, second], [{ user: 'maya', content: '-1', createdAt: '2026-11-20T10:35:00Z' }]);

    // Assert
    expect(onFirst).toEqual([['maya', 'down']]);
    expect(onSecond).toEqual([]);
  });
});
