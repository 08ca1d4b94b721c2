import type { Config } from '../../shared/config.js';
import { loadConfig } from '../../shared/config.js';
import type { AnalysisResult, Analyzer, EscalationMessage, GitHubPort } from '../../shared/ports.js';
import { type StepDeps, silentLogger } from '../../shared/steps/deps.js';
import { createMemoryStore } from './memory-store.js';

/** A GitHubPort that records calls and keeps one comment per PR, for step unit tests. */
export function createFakeGitHub() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const comments = new Map<string, string>();
  const port: GitHubPort = {
    async listFailedJobs(...args) {
      calls.push({ method: 'listFailedJobs', args });
      return [];
    },
    async openJobLog(...args) {
      calls.push({ method: 'openJobLog', args });
      return null;
    },
    async listAnnotations(...args) {
      calls.push({ method: 'listAnnotations', args });
      return [];
    },
    async findPullRequestsForCommit(...args) {
      calls.push({ method: 'findPullRequestsForCommit', args });
      return [];
    },
    async upsertComment(repo, issue, marker, body) {
      calls.push({ method: 'upsertComment', args: [repo, issue, marker, body] });
      const key = `${repo.owner}/${repo.repo}#${issue}`;
      const previous = comments.get(key);
      comments.set(key, body);
      return { outcome: previous === undefined ? 'created' : previous === body ? 'unchanged' : 'updated', commentId: 1, url: null };
    },
    async rerunFailedJobs(...args) {
      calls.push({ method: 'rerunFailedJobs', args });
    },
  };
  return { port, calls, comments };
}

export function scriptedAnalyzer(result: Partial<AnalysisResult> | Error): Analyzer {
  return {
    provider: 'scripted',
    async analyze() {
      if (result instanceof Error) throw result;
      return {
        rootCause: 'scripted root cause', fix: ['step'], confidence: 0.9, proposedAction: 'comment_only',
        rationale: 'scripted', evidence: [], provider: 'scripted', model: null, ...result,
      };
    },
  };
}

export function stepDeps(overrides: Partial<StepDeps> & { env?: Record<string, string> } = {}) {
  const published: EscalationMessage[] = [];
  const clock = () => new Date('2026-11-20T10:00:00Z');
  const config: Config = loadConfig(overrides.env ?? {});
  const deps: StepDeps = {
    config,
    incidents: createMemoryStore(clock),
    github: null,
    analyzer: scriptedAnalyzer({}),
    fallbackAnalyzer: { ...scriptedAnalyzer({ rootCause: 'offline root cause', confidence: 0.5 }), provider: 'offline-fake' },
    escalations: {
      async publish(message) {
        published.push(message);
        return { messageId: `m-${published.length}` };
      },
    },
    clock,
    logger: silentLogger,
    ...overrides,
  };
  return { deps, published };
}
