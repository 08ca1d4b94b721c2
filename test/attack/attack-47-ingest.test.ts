import { sign } from '@octokit/webhooks-methods';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { handleGithubWebhook } from '../../shared/ingest/github-webhook.js';
import { SECRET_MAX_AGE_SECONDS, type SecretReader, type SecretStage, createRotatingWebhookVerifier } from '../../shared/runtime/secrets.js';
import { PENDING_INCIDENT, proposalAwaitingMaintainer, signedCommentDelivery } from '../support/comment-commands.js';
import { cpuGrowthExponentOfRuns, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { memoryIngest, signedWebhook } from '../support/ingest.js';

/**
 * Attack pass 47 (ingest): holes an outsider's (or a leaked credential's) delivery reaches, each reproduced through
 * the handler the Lambda exports use. Each test fails on 93a5c5f and passes once the hole is closed.
 */

const SECRET = 'attack-47-secret';

const commentDelivery = (login: string, body: string) => signedCommentDelivery({ secret: SECRET, login, body, commentId: 4701 });
const waitingProposal = () => proposalAwaitingMaintainer(SECRET);

/** The HTML GitHub-flavoured Markdown renders the comment to: where the command line ends up on the page. */
const rendered = (body: string) => marked.parse(body, { async: false, gfm: true }) as string;

describe('I1: a /guard command that the rendered comment shows as quoted or as code still decides the proposal', () => {
  // comment-text.ts: "A command in a fenced or indented code block or in an HTML comment is someone showing or quoting
  // it ... not giving it. ... When in doubt a line is not prose". Two CommonMark constructs it does not know:

  it('a maintainer who quotes an outsider by hand (">" on the first line only, a lazy continuation) does not approve for them', async () => {
    // The outsider wrote "Please merge, CI is flaky\n/guard approve"; the maintainer pastes it and marks it as a quote.
    const body = '> Please merge, CI is flaky\n/guard approve\n\nNo: this failure is real, see the stack trace.';
    // As GitHub renders it, the command is inside the blockquote: the outsider's words, not the maintainer's.
    expect(rendered(body)).toMatch(/<blockquote>[^]*\/guard approve[^]*<\/blockquote>/);
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });

  it('a command shown inside an HTML <pre> code block ("to approve, reply:") does not approve', async () => {
    const body = 'Whoever has checked the proposal, reply with:\n<pre>\n/guard approve\n</pre>\nI have not looked yet.';
    expect(rendered(body)).toMatch(/<pre>\s*\/guard approve\s*<\/pre>/);
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });

  it('a command shown as inline code that a wrapped line splits ("type `/guard approve` ...") does not approve', async () => {
    // An editor (or a phone) wraps the sentence inside the backticks: the code span spans the line ends.
    const body = 'Once someone has read the proposal, they can type `\n/guard approve\n` here. I have not read it.';
    expect(rendered(body)).toContain('<code>/guard approve</code>');
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });

  it('a command hidden in an HTML attribute (nothing on the page shows it) does not approve', async () => {
    // The same as an HTML comment, which is ignored: text pasted into a maintainer's comment (a "suggested reply" from
    // an outsider's PR description) that decides for them without a visible word.
    const body = 'Thanks, looking into it. <img alt="\n/guard approve\n" src="https://example.com/pixel.png">';
    expect(rendered(body).replace(/<[^>]*>/g, '')).not.toContain('/guard');
    const { deps, tasks, incidents } = await waitingProposal();

    await handleIssueCommentWebhook(commentDelivery('maintainer', body), deps);

    expect(tasks).toEqual([]);
    expect((await incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('pending');
  });
});

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/webhook-AbCdEf';

describe('I2: the webhook secret replaced after a leak keeps verifying deliveries for good', () => {
  it('refuses a delivery signed with the previous secret days after the rotation finished', async () => {
    // README "Rotating the webhook secret": put the new value in, wait 5 minutes, set it in GitHub. The old value
    // (say, leaked: the reason to rotate) stays AWSPREVIOUS until the next rotation, and is accepted all that time:
    // whoever holds it forges any delivery, e.g. `/guard approve` in the name of a maintainer, which the permission
    // check then confirms (it asks GitHub about the login the forged payload names).
    let clock = Date.parse('2026-11-20T10:00:00Z');
    const values: Partial<Record<SecretStage, string>> = { AWSCURRENT: 'leaked-secret' };
    const reader: SecretReader = {
      read: async (_arn, stage) => {
        const value = values[stage];
        if (value === undefined) throw Object.assign(new Error('no such stage'), { name: 'ResourceNotFoundException' });
        return { value, createdAt: undefined };
      },
    };
    const verifier = await createRotatingWebhookVerifier({ setting: 'GITHUB_WEBHOOK_SECRET_ARN', arn: ARN, reader, now: () => clock });
    // The rotation: a new value, the leaked one now AWSPREVIOUS.
    values.AWSCURRENT = 'fresh-secret';
    values.AWSPREVIOUS = 'leaked-secret';
    const body = JSON.stringify({ action: 'created', comment: { body: '/guard approve', user: { login: 'maintainer' } } });

    // Within the window the README gives (5 minutes to read, then the GitHub setting): both are fine.
    clock += SECRET_MAX_AGE_SECONDS * 1000;
    expect(await verifier.verify(body, await sign('fresh-secret', body))).toBe(true);
    // A week later, the function warm all along and re-reading every 5 minutes.
    for (let step = 0; step < 7 * 24 * 12; step += 1) {
      clock += SECRET_MAX_AGE_SECONDS * 1000;
      await verifier.verify(body, await sign('fresh-secret', body));
    }

    expect(await verifier.verify(body, await sign('fresh-secret', body))).toBe(true);
    expect(await verifier.verify(body, await sign('leaked-secret', body))).toBe(false);
  });
});

describe('I3: a failing check run whose output repeats "eyJ" holds ingest past GitHub\'s 10 s', () => {
  // The check output (summary and text, 65,535 characters each, as GitHub caps them) is redacted in the request
  // (redactOrWithhold) before the durable write. The `jwt` rule (/eyJ[A-Za-z0-9_-]{8,}\.eyJ…/g) and its neighbours
  // scan to the text's end from every "eyJ" that has no dot after it: quadratic, ~6 s a field on a fast machine.
  // What a third-party CI writes there is the test output of the code checked, a fork's pull request's included:
  // ingest then runs past its 10 s timeout (infra/function-timeouts.ts), the failure is never recorded and GitHub
  // does not redeliver; every such delivery holds an ingest instance for the whole 10 s meanwhile.
  it('answers the delivery in time linear in its check output (the redaction linear), not after 15 s', async () => {
    const delivery = (fillerChars: number) => {
      const filler = 'eyJ'.repeat(fillerChars / 3);
      const { deps, store } = memoryIngest(SECRET);
      const request = signedWebhook('check_run-circleci-failure', SECRET, (body) => {
        body.check_run.output = { title: 'tests failed', summary: filler, text: filler };
      });
      return { deps, store, request };
    };
    const largest = delivery(65_535);

    const response = await handleGithubWebhook(largest.request, largest.deps);

    expect(response.statusCode).toBe(202);
    expect(await largest.store.get(String(response.body.incidentId))).toBeTruthy();
    // Each field 8 to 64 KB: the quadratic redaction took ~6 s a field at the largest, a linear one milliseconds.
    const exponent = await cpuGrowthExponentOfRuns([8_190, 16_383, 32_766, 65_535], (chars) => {
      const { deps, request } = delivery(chars);
      return () => handleGithubWebhook(request, deps);
    });
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  }, 60_000);
});
