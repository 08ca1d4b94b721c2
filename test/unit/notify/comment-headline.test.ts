import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { analyzeLog, diagnose } from '../../../shared/logs/index.js';
import { renderComment } from '../../../shared/notify/comment.js';

/** The comment's first line as GitHub shows it (the h3's text), and its Markdown source. */
function firstLine(markdown: string): { text: string; source: string } {
  const html = marked.parse(markdown, { async: false, gfm: true });
  const text = (/<h3>([\s\S]*?)<\/h3>/.exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<');
  return { text, source: markdown.split('\n').find((line) => line.startsWith('### ')) ?? '' };
}

const at = new Date('2026-11-20T10:00:00Z');

/** An incident whose one job failed with `log`, diagnosed as the classify stage does. */
async function failedWith(log: string, jobName = 'test (node 22)'): Promise<Incident> {
  const analysis = await analyzeLog(log);
  const diagnosis = diagnose(analysis, { job: jobName });
  return newIncident(
    {
      id: 'gh-1-2-1', source: 'github' as const, status: 'notified' as const, repository: 'acme-shop/checkout-service', branch: 'feature/x', workflowName: 'CI',
      runId: 2, runAttempt: 1, pullRequest: 7, runUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/2', category: analysis.category,
      jobs: [{
        jobId: 3, jobName, url: null, category: analysis.category, fingerprint: analysis.fingerprint, logSource: 'job_log' as const, failures: [],
        diagnosis: { determined: diagnosis.determined, rootCause: diagnosis.rootCause, fix: diagnosis.fix, ...(diagnosis.summary ? { summary: diagnosis.summary } : {}) },
      }],
    },
    at,
  );
}

const JEST_LOG = [
  'FAIL src/invoices/invoice.test.ts',
  '  ● Invoice totals › applies the discount before tax',
  '',
  '    expect(received).toBe(expected) // Object.is equality',
  '',
  '    Expected: 107.1',
  '    Received: 108',
  '',
  '      at Object.<anonymous> (src/invoices/invoice.test.ts:43:27)',
  '',
  'Tests:       1 failed, 12 passed, 13 total',
].join('\n');

const MAVEN_LOG = [
  '[INFO] --- maven-compiler-plugin:3.11.0:compile (default-compile) @ billing ---',
  '[ERROR] COMPILATION ERROR : ',
  '[ERROR] /home/runner/work/billing/billing/src/main/java/com/acme/billing/Invoice.java:[27,122] cannot find symbol',
  '  symbol:   class TaxTable',
  '[INFO] BUILD FAILURE',
].join('\n');

describe("the PR comment's first line", () => {
  it('names the failing test and where, not only that a test failed', async () => {
    const { text } = firstLine(renderComment(await failedWith(JEST_LOG)));

    expect(text).toBe('❌ Pipeline Guard: Test Invoice totals › applies the discount before tax failed in src/invoices/invoice.test.ts:43 — test (node 22) (CI)');
  });

  it("names the compiler's message and where", async () => {
    const { text } = firstLine(renderComment(await failedWith(MAVEN_LOG, 'build')));

    expect(text).toBe('❌ Pipeline Guard: The code does not compile in src/main/java/com/acme/billing/Invoice.java:27: cannot find symbol — build (CI)');
  });

  it("keeps a test name an attacker chose inside code, and the line short", async () => {
    // Prepare: a fork's pull request names its test to ping people, close the code span and link away.
    const name = `\`](https://evil.example) @acme/security <img src=x> ${'x'.repeat(400)}`;
    const log = JEST_LOG.replace('Invoice totals › applies the discount before tax', name);

    // Act
    const { text, source } = firstLine(renderComment(await failedWith(log)));
    const html = marked.parse(source, { async: false, gfm: true });

    // Assert
    expect(text).toMatch(/^❌ Pipeline Guard: Test /);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(html).not.toMatch(/<a |<img /);
    // Every piece of the name is inside a code span: no mention outside one.
    expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).not.toContain('@acme');
  });

  it('falls back to the category when the diagnosis has nothing shorter (an incident stored before)', async () => {
    const incident = await failedWith(JEST_LOG);
    const { summary: _, ...stored } = incident.jobs[0]!.diagnosis!;
    const { text } = firstLine(renderComment({ ...incident, jobs: [{ ...incident.jobs[0]!, diagnosis: stored }] }));

    expect(text).toBe('❌ Pipeline Guard: A test failed in test (node 22) (CI)');
  });
});
