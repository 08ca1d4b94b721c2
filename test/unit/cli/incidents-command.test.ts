import { describe, expect, it } from 'vitest';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { createIncidentsCommand } from '../../../shared/cli/commands/incidents.js';
import { createKbCommand } from '../../../shared/cli/commands/kb.js';
import type { CliIO } from '../../../shared/cli/io.js';
import { main } from '../../../shared/cli/main.js';
import { newIncident } from '../../../shared/domain/incident.js';
import type { KnowledgeEntry } from '../../../shared/knowledge/entry.js';
import type { Learning } from '../../../shared/knowledge/learning.js';

/**
 * Incident text is whatever the failing build wrote: a fork's pull request can name its workflow, jobs and steps in
 * YAML, where `"\e…"` is an escape character. A terminal obeys an escape sequence (clears the screen, rewrites a
 * line, sets the title, writes the clipboard), and a backspace over-prints what came before it.
 */
const ESC = '\u001b';
const hostile = `CI${ESC}[2J${ESC}]52;c;cm0gLXJmIH4=\u0007`;

function incident() {
  const base = newIncident(
    {
      id: 'gh-1-2-1',
      source: 'github',
      repository: 'acme/app',
      workflowName: hostile,
      branch: 'main',
      status: 'notified',
      jobs: [
        {
          jobId: 1,
          jobName: `build${ESC}[1A`,
          url: null,
          category: 'test_failure',
          fingerprint: 'f',
          logSource: 'job_log',
          step: { number: 3, name: `test\u0008\u0008\u0008\u0008safe`, startLine: 1 },
          failures: [{ rule: 'r', category: 'test_failure', startLine: 1, endLine: 1, lines: [{ line: 1, text: `rm -rf /tmp/x\u0008\u0008\u0008\u0008\u0008ok` }] }],
        },
      ],
    } as never,
    new Date('2026-11-20T10:00:00Z'),
  );
  return base;
}

function capture(): CliIO & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (text) => lines.push(text), err: (text) => lines.push(text), stdin: (async function* () {})() };
}

describe('incident text in the terminal', () => {
  it('prints no control character from incident text to the terminal, and shows where one was', async () => {
    // Prepare
    const shown = incident();
    const command = createIncidentsCommand(() => async (path) =>
      path === '/incidents' ? { status: 200, body: [shown] } : { status: 200, body: { ...shown, timeline: incidentTimeline(shown) } },
    );
    const io = capture();

    // Act
    await command.run(['list'], io);
    await command.run(['show', 'gh-1-2-1'], io);

    // Assert
    const printed = io.lines.join('\n');
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(printed).toContain('CI⟨U+001B⟩[2J⟨U+001B⟩]52;c;cm0gLXJmIH4=⟨U+0007⟩');
    expect(printed).toContain('rm -rf /tmp/x⟨U+0008⟩');
  });

  it('guard kb list shows a learned entry whose title is a hostile workflow name the same way', async () => {
    // Prepare: a learned entry is titled after the incident's first failure line, else its workflow name.
    const entry: KnowledgeEntry = {
      fingerprint: 'f'.repeat(16), source: 'learned', template: 't', category: 'test_failure', title: hostile, fix: [], prevention: null,
      action: 'comment_only', attempts: 0, successes: 0, actions: {}, seen: 1, feedbackUp: 0, feedbackDown: 0, lastSeen: null, tags: [],
    };
    const knowledge = { listAll: async () => [entry], listByCategory: async () => [entry] };
    const command = createKbCommand(async () => ({ knowledge }) as unknown as Learning);
    const io = capture();

    // Act
    await command.run(['list', '--limit', '1'], io);

    // Assert
    expect(io.lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(io.lines[0]).toContain('CI⟨U+001B⟩[2J');
  });
});

describe('guard incidents show', () => {
  it('exits 1 for an incident the API does not have, as guard experiments show does: the command was used right', async () => {
    // Prepare: an API that knows no incident.
    const command = createIncidentsCommand(() => async () => ({ status: 404, body: { message: 'incident gh-9-9-1 not found' } }));
    const io = capture();

    // Act
    const code = await main(['incidents', 'show', 'gh-9-9-1'], io, [command]);

    // Assert: 2 is for usage errors (main.ts); a misspelt subcommand still gets it.
    expect(code).toBe(1);
    expect(io.lines).toEqual(['guard incidents: incident gh-9-9-1 not found']);
    expect(await main(['incidents', 'shwo'], capture(), [command])).toBe(2);
  });
});

describe('guard incidents list', () => {
  it('lines up the status column when an alarm incident\'s id is longer than a workflow run\'s', async () => {
    // Prepare: a workflow run's incident and an alarm's (cw- and a 40-character hash: 43 characters).
    const run = { ...incident(), workflowName: 'CI', jobs: [] };
    const alarm = { ...run, id: `cw-${'0123456789'.repeat(4)}`, source: 'cloudwatch', alarm: { name: 'checkout-5xx' } };
    const command = createIncidentsCommand(() => async () => ({ status: 200, body: [alarm, run] }));
    const io = capture();

    // Act
    await command.run(['list'], io);

    // Assert
    expect(io.lines).toHaveLength(2);
    const statusAt = io.lines.map((line) => line.indexOf('  notified'));
    expect(statusAt[0]).toBeGreaterThan(0);
    expect(statusAt[1]).toBe(statusAt[0]);
  });
});
