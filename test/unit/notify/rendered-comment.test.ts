import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { renderComment } from '../../../shared/notify/comment.js';

/**
 * The PR comment as GitHub would show it: Markdown → HTML with a real CommonMark/GFM renderer (marked), then read
 * the way a person does. HTML comments (our hidden marker and incident ids) are not shown, so they are dropped.
 */
function render(markdown: string): { html: string; text: string; firstLine: string } {
  const html = marked.parse(markdown, { async: false, gfm: true }).replace(/<!--[\s\S]*?-->/g, '');
  const text = html.replace(/<\/?(a|code|strong|em)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/\s+/g, ' ').trim();
  const firstLine = /<h3>([\s\S]*?)<\/h3>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '') ?? '';
  return { html, text, firstLine };
}

const JOB_URL = 'https://github.com/acme-shop/checkout-service/actions/runs/11862977301/job/33012345678';
const at = new Date('2026-11-20T10:00:00Z');

function failing(fields: Partial<Incident> = {}): Incident {
  return newIncident(
    {
      id: 'gh-714523861-11862977301-1', source: 'github', status: 'notified', repository: 'acme-shop/checkout-service', branch: 'feature/tax-rounding',
      defaultBranch: 'main', workflowName: 'CI', runId: 11862977301, runAttempt: 1, pullRequest: 1287,
      runUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/11862977301', category: 'test_failure', fingerprint: '65a3a4d0147e2340',
      jobs: [{
        jobId: 33012345678, jobName: 'test (node 22)', url: JOB_URL, category: 'test_failure', fingerprint: '65a3a4d0147e2340', logSource: 'job_log',
        failures: [{ rule: 'jest.failed', category: 'test_failure', startLine: 76, endLine: 92, lines: [{ line: 77, text: '● Invoice totals › applies the discount before tax' }, { line: 81, text: 'Expected: 107.1' }, { line: 82, text: 'Received: 108' }] }],
        step: { number: 4, name: 'Run npm test -- --ci', startLine: 60 },
        confidence: 0.92,
        diagnosis: {
          determined: true,
          rootCause: 'Test `Invoice totals › applies the discount before tax` failed in `src/invoices/invoice.test.ts:43`: `Expected: 107.1 Received: 108` (step "Run npm test -- --ci").',
          fix: ['Run the failing test locally and compare expected and actual values with the change under test.'],
        },
      }],
      failureLines: [{ line: 77, text: '● Invoice totals › applies the discount before tax' }],
      analysis: { provider: 'offline', model: null, rootCause: 'A test failed.', fix: [], confidence: 0.25, proposedAction: 'comment_only', rationale: 'r', evidence: [], latencyMs: 1 },
      decision: { action: 'comment_only', reason: 'confidence 0.25 is below 0.40: escalated rather than only explained', applied: true, result: 'explained in the notification', dryRun: false, decidedAt: at.toISOString() },
      ...fields,
    } as Incident,
    at,
  );
}

const INTERNAL = [/rerun_failed_jobs|comment_only|open_fix_pr/, /confidence \d/, /escalated rather than only explained/, /jest\.failed/, /gh-714523861/, /fingerprint/i, /65a3a4d0/];

function expectReadable(text: string) {
  for (const pattern of INTERNAL) expect(text).not.toMatch(pattern);
  expect(text).not.toMatch(/`/);
  expect(text).not.toContain('****');
}

describe('the PR comment, rendered', () => {
  it('failing: names the failure first, gives the verdict and what happened, code as code, links to the line in the step', () => {
    const { html, text, firstLine } = render(renderComment(failing()));

    expect(firstLine).toBe('❌ Pipeline Guard: A test failed in test (node 22) (CI)');
    expect(html).toContain('<code>Invoice totals › applies the discount before tax</code>');
    expect(text).toContain('Verdict: caused by this change');
    expect(text).toContain('Action: nothing automatic — the fix is a change to the code');
    // Step 4 starts at log line 60: log line 76 is line 17 of the step.
    expect(html).toContain(`href="${JOB_URL}#step:4:17"`);
    expect(text).toContain('lines 17–33 of step 4 (Run npm test -- --ci)');
    expect(html).toMatch(/<details><summary>Log lines of test \(node 22\)/);
    expectReadable(text);
  });

  it('re-running: says so in the title and links the attempt the guard started', () => {
    const incident = failing({
      category: 'network',
      decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 're-run of run 11862977301 requested (automatic re-run 1 of 1 for this commit)', dryRun: false, decidedAt: at.toISOString() },
    });
    const { html, text, firstLine } = render(renderComment(incident));

    expect(firstLine).toMatch(/^🔁 Pipeline Guard: re-running — /);
    expect(html).toContain('href="https://github.com/acme-shop/checkout-service/actions/runs/11862977301/attempts/2"');
    expect(text).toContain('Action: re-running the failed jobs (attempt 2)');
    expectReadable(text);
  });

  it('passed after re-run: marked flaky, no re-run suggested, the failure folded away', () => {
    const incident = failing({
      status: 'resolved', resolvedBy: 'run 11862977301 (attempt 2)', timeToRecoverySeconds: 420,
      decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 're-run requested', dryRun: false, decidedAt: at.toISOString() },
    });
    const { html, text, firstLine } = render(renderComment(incident));

    expect(firstLine).toBe('✅ Pipeline Guard: passed after re-run (marked flaky)');
    expect(text).toContain('Passed in run 11862977301 (attempt 2) after 7 min');
    expect(text).not.toMatch(/re-running|Re-run the failed jobs/);
    expect(html).toMatch(/<details><summary>CI: what had failed<\/summary>/);
    expectReadable(text);
  });

  it('fixed: another open failure goes on top, the fixed one folds into <details>, attempts collapse into one entry', () => {
    const fixed = failing({ status: 'resolved', resolvedBy: 'run 11862977999', timeToRecoverySeconds: 3600 });
    const lintAttempt = (attempt: number) =>
      failing({ id: `gh-714523861-500-${attempt}`, runId: 500, runAttempt: attempt, workflowName: 'Lint', category: 'lint', runUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/500', jobs: [], failureLines: [{ line: 3, text: 'src/a.ts:3:1 error no-unused-vars' }], createdAt: `2026-11-20T10:0${attempt}:00.000Z` });
    const { html, text, firstLine } = render(renderComment(fixed, [lintAttempt(1), lintAttempt(2), lintAttempt(3)]));

    expect(firstLine).toBe('⚠️ Pipeline Guard: fixed, 1 other failure still open');
    expect(text.match(/run 500 \(attempt/g)).toHaveLength(1);
    expect(text).toContain('run 500 (attempt 3)');
    expect(text.indexOf('Also failing on this pull request')).toBeLessThan(text.indexOf('what had failed'));
    expect(html).toMatch(/<details><summary>CI: what had failed<\/summary>/);
    expectReadable(text);
  });

  it('collapses the attempts of the notified run and says which attempts failed', () => {
    const second = failing({ id: 'gh-714523861-11862977301-2', runAttempt: 2 });
    const { text } = render(renderComment(second, [failing()]));

    expect(text).toContain('failed on attempts 1, 2');
    expect(text.match(/Verdict:/g)).toHaveLength(1);
  });

  it('also failing on the base branch: from an earlier incident with the same fingerprint on main', () => {
    const incident = failing({
      knowledge: {
        matches: [{ incidentId: 'gh-714523861-1-1', fingerprint: '65a3a4d0147e2340', createdAt: at.toISOString(), status: 'notified', action: null, recovered: null, timeToRecoverySeconds: null, branch: 'main', runUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/1', repository: 'acme-shop/checkout-service' }],
        seenBefore: 1, actionOutcomes: {}, summary: 'Seen once before.',
      },
    });
    const { text } = render(renderComment(incident));

    expect(text).toContain('Verdict: also failing on the base branch main (that run): probably not caused by this change.');
  });

  it("also failing on the base branch: the default branch's latest run of the workflow failed too", () => {
    const incident = failing({ baseBranchRun: { runId: 7, conclusion: 'failure', url: 'https://github.com/acme-shop/checkout-service/actions/runs/7' } });
    const passing = failing({ baseBranchRun: { runId: 8, conclusion: 'success', url: 'https://github.com/acme-shop/checkout-service/actions/runs/8' } });

    expect(render(renderComment(incident)).html).toContain('<a href="https://github.com/acme-shop/checkout-service/actions/runs/7">that run</a>');
    expect(render(renderComment(incident)).text).toContain('Verdict: also failing on the base branch main (that run): probably not caused by this change.');
    expect(render(renderComment(passing)).text).not.toContain('also failing on the base branch');
  });

  it('not determined, with an empty workflow name and an action that failed: says so in plain words', () => {
    const incident = failing({
      workflowName: '',
      jobs: [{ ...failing().jobs[0]!, category: 'unknown', diagnosis: { determined: false, rootCause: 'Root cause not determined: the evidence is weak; the most likely line is 77: `boom`.', fix: [] } }],
      decision: { action: 'escalate', reason: 'open_fix_pr planned, not applied: no patch, branch or GitHub access', applied: true, result: 'escalation is published by the notify stage', dryRun: false, decidedAt: at.toISOString() },
    });
    const { text, firstLine } = render(renderComment(incident));

    expect(firstLine).toBe('❌ Pipeline Guard: A job failed in test (node 22) (the workflow)');
    expect(text).toContain('Verdict: not determined');
    expect(text).toContain('Action: the guard tried to prepare a fix pull request but could not; a human needs to look.');
    expect(text).not.toContain('Proposed a fix pull request');
    expectReadable(text);
  });

  it('not determined: the diagnosis says so once, not under a label that says it again', () => {
    // Prepare
    const diagnosis = { determined: false, rootCause: 'Root cause not determined (job "test"): the evidence is weak; the most likely line is 77: `boom`.', fix: [] };
    const incident = failing({ category: 'unknown', jobs: [{ ...failing().jobs[0]!, category: 'unknown', diagnosis }] });
    // Act
    const { text } = render(renderComment(incident));
    // Assert
    expect(text).toContain('Verdict: not determined');
    expect(text).toContain('Root cause not determined (job "test"): the evidence is weak; the most likely line is 77: boom.');
    expect(text.match(/not determined/gi)).toHaveLength(2);
  });

  it('not determined whether this change caused a failure the log explains: does not say the log shows no reason', () => {
    // Prepare: the runner's disk filled up; the diagnosis names it, and nothing tells whether the change did it.
    const diagnosis = { determined: true, rootCause: 'The runner or CI platform failed: `No space left on device` (job "test").', fix: ['Re-run the failed jobs.'] };
    const incident = failing({ category: 'infrastructure', jobs: [{ ...failing().jobs[0]!, category: 'infrastructure', diagnosis }] });
    // Act
    const { text } = render(renderComment(incident));
    // Assert
    expect(text).toContain('Verdict: not determined — the log shows what failed, not whether this change caused it; a human should judge.');
    expect(text).not.toContain('does not show clearly why');
    expect(text).toContain('Why: The runner or CI platform failed: No space left on device');
  });

  it('a failure on one line is "line 17", not "lines 17–17"', () => {
    // Prepare: step 4 starts at log line 60, so log line 76 is its line 17.
    const job = failing().jobs[0]!;
    const incident = failing({ jobs: [{ ...job, failures: [{ rule: 'gradle.test-failed', category: 'test_failure', startLine: 76, endLine: 76, lines: [{ line: 76, text: 'InvoiceTest > total() FAILED' }] }] }] });
    // Act
    const { html, text } = render(renderComment(incident));
    // Assert
    expect(text).toContain('line 17 of step 4 (Run npm test -- --ci)');
    expect(html).toContain('<summary>Log lines of test (node 22) (line 17 of step 4 (Run npm test -- --ci))</summary>');
    expect(text).not.toMatch(/lines (\d+)–\1\b/);
  });
});

describe('the PR comment, rendered: references', () => {
  it("links no other repository's issue, no issue number, no commit and no math from model text or names", () => {
    // Prepare: GitHub links references in the rendered text outside code, pre and links, where `\#` is already `#`.
    const incident = failing({
      workflowName: 'CI closes kubernetes/kubernetes#1',
      jobs: [{ ...failing().jobs[0]!, jobName: 'test nodejs/node#2', diagnosis: undefined }],
      analysis: {
        provider: 'openai', model: 'm', confidence: 0.8, proposedAction: 'comment_only', rationale: 'r', evidence: [], latencyMs: 1,
        rootCause: 'Regression tracked in torvalds/linux#1 and #1 (GH-2), introduced by 0123456789abcdef0123456789abcdef01234567. $\\sqrt{2}$',
        fix: ['Fixes microsoft/vscode#1.'],
      },
    });

    // Act
    const { html } = render(renderComment(incident));
    const text = html.replace(/<(code|pre|a)\b[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#36;/g, '$').replace(/&amp;/g, '&');

    // Assert: no reference and no `$` pair survives, and the words read the same once the zero-width spaces go.
    for (const reference of [/[\w-]+\/[\w.-]+#\d/, /(?:^|[\s(])#\d/, /\bGH-\d/i, /\b[0-9a-f]{7,}\b/]) expect(text).not.toMatch(reference);
    expect(renderComment(incident)).not.toMatch(/\$/);
    const plain = text.replace(/\u200b/g, '');
    for (const words of ['kubernetes/kubernetes#1', 'nodejs/node#2', 'torvalds/linux#1 and #1 (GH-2)', '0123456789abcdef0123456789abcdef01234567', '$\\sqrt{2}$', 'microsoft/vscode#1']) expect(plain).toContain(words);
  });
});
