import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { webhookPayload } from '../../shared/adapters/chat-webhook.js';
import { renderComment } from '../../shared/notify/comment.js';
import { renderEscalation } from '../../shared/notify/escalation.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, stepDeps } from '../support/fakes.js';

/**
 * Attack pass 11: what the guard writes where people read it. Everything below is text a fork's pull request
 * controls (its workflow file names the jobs, its code prints the log), rendered as GitHub renders the comment
 * (marked, GFM). HTML comments are dropped: GitHub does not show them.
 */
function rendered(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true }).replace(/<!--[\s\S]*?-->/g, '');
}

/** What a reader's browser would follow, load or notify: links, images, and mentions outside code. */
function live(html: string): string[] {
  const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<pre>[\s\S]*?<\/pre>/g, '');
  return [
    ...(outsideCode.match(/<a\b[^>]*evil\.example[^>]*>/g) ?? []),
    ...(outsideCode.match(/<img\b[^>]*>/g) ?? []),
    ...(outsideCode.match(/@acme-shop\/security/g) ?? []),
  ];
}

/** A fork's job whose log and name are the attacker's, classified as the pipeline does it. */
async function classified(jobName: string, log: string): Promise<Incident> {
  const github = createFakeGitHub();
  github.port.listFailedJobs = async () => [{ id: 33012345678, name: jobName, htmlUrl: 'https://github.com/acme-shop/checkout-service/actions/runs/11862439017/job/33012345678', conclusion: 'failure', checkRunId: 33012345678, steps: [] }];
  github.port.openJobLog = async () => (async function* () {
    yield Buffer.from(log);
  })();
  const { deps } = stepDeps({ github: github.port });
  const event = structuredClone(loadWebhook('workflow_run-failure'));
  const trigger = triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
  await classifyStep({ trigger }, deps);
  return (await deps.incidents.get(trigger.incidentId)) as Incident;
}

const PAYLOAD = '[Approve this fix](https://evil.example/approve) @acme-shop/security <img src="https://evil.example/pixel.png">';

describe('attack pass 11, finding 1: an empty code span in the headline opens the job name', () => {
  // A Python frame's file name is the log's to choose; the diagnosis quotes it between backticks as it is. A file
  // named "`" made the summary "… was raised in ``:3`", whose empty quote rendered as "``": a backtick string that
  // is no code span, and that closes at the next "``" of the paragraph, the opening of the job name's code span
  // (a name holding one backtick gets a two-backtick fence). The rest of the job name was then Markdown: a link
  // whose label says what the maintainer wants to do, a team mention that pings it, an image that loads.
  const log = [
    '2026-11-20T10:00:00.0000000Z ##[group]Run python -m app',
    '2026-11-20T10:00:01.0000000Z Traceback (most recent call last):',
    '2026-11-20T10:00:01.0000000Z   File "`", line 3, in <module>',
    '2026-11-20T10:00:01.0000000Z     main()',
    '2026-11-20T10:00:01.0000000Z RuntimeError: connection pool exhausted',
    '2026-11-20T10:00:02.0000000Z ##[error]Process completed with exit code 1.',
  ].join('\n');

  it('control: the same job name beside an ordinary file name stays one code span', async () => {
    const incident = await classified(`test ${PAYLOAD} \`py`, log.replace('File "`"', 'File "app/main.py"'));
    const html = rendered(renderComment(incident));
    expect(html).toContain('<h3>');
    expect(live(html)).toEqual([]);
  });

  it('renders nothing of the job name as Markdown or HTML', async () => {
    const incident = await classified(`test ${PAYLOAD} \`py`, log);
    // The file name "`" is now quoted as the log's other quotes are ("'"), so the headline holds no empty span; an
    // empty span is written as spaces by inlineCode all the same (test/unit/notify/markdown.test.ts).
    expect(incident.jobs[0]?.diagnosis?.summary).toContain("in `':3`");

    const html = rendered(renderComment(incident));

    expect(live(html)).toEqual([]);
  });
});

describe('attack pass 11, finding 2: a URL glued to the host of another is left live in the e-mail', () => {
  // defang read a URL's authority up to its next slash: `https://github.example)https:` was one authority, and the
  // second URL's scheme, inside it, was never looked at again; its host after `//`, followed by `&`, was not one the
  // slashed-host rule takes either. The e-mail (plain text, which mail clients autolink) and the chat message then
  // carried `https://evil.example&session=renew` live, under the guard's own "Failure lines:".
  const lure = 'Error: token expired: re-authenticate at https://github.example)https://evil.example&session=renew';
  const glued = [
    lure,
    'see https://docs.example(http://evil.example&x)',
    'mirror https://a.examplehttps://evil.example&login',
    'x://mirror)https://evil.example&y',
  ];

  it('control: the same URL after a space is defanged', async () => {
    const incident = await classified('test', `2026-11-20T10:00:01.0000000Z ${lure.replace(')https', ') https')}\n2026-11-20T10:00:02.0000000Z ##[error]Process completed with exit code 1.`);
    expect(renderEscalation(incident, 'a human must look').message).not.toMatch(/evil\.example/);
  });

  it('defangs the second URL in the e-mail and the chat message', async () => {
    const incident = await classified('test', [...glued.map((line) => `2026-11-20T10:00:01.0000000Z ${line}`), '2026-11-20T10:00:02.0000000Z ##[error]Process completed with exit code 1.'].join('\n'));
    expect(incident.failureLines.map((line) => line.text).join('\n')).toContain('https://evil.example&session=renew');

    const message = renderEscalation(incident, 'a human must look');

    expect(message.message).toContain('Failure lines:');
    expect(message.message).not.toMatch(/evil\.example/);
    expect(JSON.stringify(webhookPayload('slack', message))).not.toMatch(/evil\.example/);
  });
});

describe("attack pass 11, finding 3: a check run's app name writes lines of the e-mail", () => {
  // The e-mail's links are "<label>: <url>", one a line; the URL was encoded (linkTarget) but the label, which names
  // the third-party app that reported the check (`Build in <app name>`), was written as it came: a line break in it
  // started a line in the guard's words, and a host in it was a live link. The chat message muted it already.
  const appName = 'CircleCI\nWhat it needs from you: nothing, it recovered. Details: https://evil.example/status';

  it('keeps the app name on its own line, defanged', async () => {
    const incident = await classified('build', '2026-11-20T10:00:01.0000000Z npm ERR! code ETIMEDOUT\n2026-11-20T10:00:02.0000000Z ##[error]Process completed with exit code 1.');
    const fromApp: Incident = { ...incident, checkRun: { id: 7, name: 'build', appSlug: 'circleci-checks', appName, detailsUrl: 'https://app.circleci.com/pipelines/gh/acme-shop/checkout-service/812' } };

    const { message } = renderEscalation(fromApp, 'a human must look');

    expect(message).toContain('Build in CircleCI');
    expect(message.split('\n').filter((line) => line.startsWith('What it needs from you:'))).toHaveLength(1);
    expect(message).not.toMatch(/evil\.example/);
  });
});
