import { describe, expect, it } from 'vitest';
import { baselineForJob } from '../../../shared/baselines/job-logs.js';
import type { BaselineStore } from '../../../shared/baselines/store.js';
import { greenRunsOnce } from '../../../shared/steps/classify.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createFakeGitHub } from '../../support/fakes.js';

const repo = { owner: 'acme-shop', repo: 'checkout-service' };

/** Only what baselineForJob uses of the baselines table: nothing stored, writes kept. */
function emptyBaselines() {
  const saved: string[] = [];
  const store = {
    async jobLogBaseline() {
      return null;
    },
    async saveJobLogBaseline(_repository: string, _workflow: string, job: string) {
      saved.push(job);
    },
  };
  return { store: store as unknown as BaselineStore, saved };
}

describe('greenRunsOnce (classify: the failed jobs of one run share their green run)', () => {
  it('asks GitHub for the green run and its jobs once for three failed jobs, and reads each job its own log', async () => {
    // Arrange
    const github = createFakeGitHub();
    github.port.latestSuccessfulRun = async (...args) => {
      github.calls.push({ method: 'latestSuccessfulRun', args });
      return { id: 900, attempt: 1 };
    };
    github.port.listSucceededJobs = async (...args) => {
      github.calls.push({ method: 'listSucceededJobs', args });
      return ['lint', 'test', 'build'].map((name, i) => ({ id: 9000 + i, name, checkRunId: 9100 + i, htmlUrl: null, conclusion: 'success', steps: [] }));
    };
    github.port.openJobLog = async (...args) => {
      github.calls.push({ method: 'openJobLog', args });
      return (async function* () {
        yield new TextEncoder().encode(`ok ${String(args[1])}\n`);
      })();
    };
    const { store, saved } = emptyBaselines();
    const greenRuns = greenRunsOnce(github.port);

    // Act
    for (const job of ['lint', 'test', 'build']) {
      await baselineForJob(
        { repo, repository: 'acme-shop/checkout-service', workflowId: 42, workflow: '42', job, branch: 'main' },
        { github: greenRuns, store, clock: () => new Date('2026-11-20T10:00:00Z'), logger: silentLogger },
      );
    }

    // Assert
    const called = (method: string) => github.calls.filter((c) => c.method === method).map((c) => c.args);
    expect(called('latestSuccessfulRun')).toEqual([[repo, 42, 'main']]);
    expect(called('listSucceededJobs')).toEqual([[repo, 900, 1]]);
    expect(called('openJobLog')).toEqual([[repo, 9000], [repo, 9001], [repo, 9002]]);
    expect(saved).toEqual(['lint', 'test', 'build']);
  });

  it('asks again after a failed answer instead of keeping the failure', async () => {
    // Arrange
    const github = createFakeGitHub();
    let answers = 0;
    github.port.latestSuccessfulRun = async () => {
      answers += 1;
      if (answers === 1) throw new Error('502 from GitHub');
      return null;
    };
    const greenRuns = greenRunsOnce(github.port);

    // Act
    const first = greenRuns.latestSuccessfulRun(repo, 42, 'main');
    await expect(first).rejects.toThrow('502');
    const second = await greenRuns.latestSuccessfulRun(repo, 42, 'main');
    const third = await greenRuns.latestSuccessfulRun(repo, 42, 'main');

    // Assert: one failed call, one good one kept for the third ask.
    expect(second).toBeNull();
    expect(third).toBeNull();
    expect(answers).toBe(2);
  });
});
