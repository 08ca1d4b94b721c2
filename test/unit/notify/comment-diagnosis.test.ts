import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { renderComment } from '../../../shared/notify/comment.js';
import { sentenceWithCode } from '../../../shared/notify/markdown.js';

const rootCause = 'Test `invoice › total` failed in `src/invoice.test.ts:43`: `Expected: 107.1 Received: 108` (step 4 "Unit tests" of job "test").';

function incidentWith(analysisRootCause: string) {
  return newIncident(
    {
      id: 'gh-1-2-1', source: 'github', workflowName: 'CI', runId: 2, runAttempt: 1, category: 'test_failure',
      jobs: [
        {
          jobId: 77, jobName: 'test', url: 'https://github.com/o/r/actions/runs/2/job/77', category: 'test_failure', fingerprint: 'f', logSource: 'job_log',
          failures: [{ rule: 'jest.failed', category: 'test_failure', startLine: 120, endLine: 126, lines: [{ line: 121, text: '● invoice › total' }] }],
          step: { number: 4, name: 'Unit tests', startLine: 101 },
          confidence: 0.93,
          diagnosis: { determined: true, rootCause, fix: ['Run the failing test locally.'] },
        },
      ],
      analysis: {
        provider: 'offline', model: null, rootCause: analysisRootCause, fix: ['Run the failing test locally.'], confidence: 0.9,
        proposedAction: 'comment_only', rationale: 'r', evidence: [], latencyMs: 1,
      },
    },
    new Date('2026-11-20T10:00:00Z'),
  );
}

describe('the diagnosis in the PR comment', () => {
  it('says why in one line with code spans, links the line within its step, and does not repeat it as the root cause', () => {
    // Act
    const body = renderComment(incidentWith(rootCause));
    // Assert
    expect(body).toContain('**Why:** Test `invoice › total` failed in `src/invoice.test.ts:43`: `Expected: 107.1 Received: 108`');
    expect(body).toContain('(https://github.com/o/r/actions/runs/2/job/77#step:4:20)');
    expect(body).not.toContain('What the analysis model suggests');
  });

  it("folds a model's own root cause under the diagnosis", () => {
    // Prepare
    const incident = incidentWith('The discount is applied after tax.');
    if (incident.analysis) incident.analysis = { ...incident.analysis, provider: 'openai', model: 'm' };
    // Act
    const body = renderComment(incident);
    // Assert
    expect(body).toContain('**Why:**');
    expect(body).toMatch(/<details><summary>What the analysis model suggests<\/summary>[\s\S]*The discount is applied after tax\\\./);
  });

  it('keeps quoted log text inert: only our own backticks make code, the rest is escaped', () => {
    // Act
    const rendered = sentenceWithCode('A test failed: `<img src=x> @octocat [a](https://evil.example)` in *bold* @team');
    // Assert
    expect(rendered).toBe('A test failed: `<img src=x> @octocat [a](https://evil.example)` in \\*bold\\* @\u200bteam');
  });
});
