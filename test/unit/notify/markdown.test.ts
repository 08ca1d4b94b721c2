import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { COMMENT_MARKER, MAX_COMMENT_CHARS, renderComment, truncateComment } from '../../../shared/notify/comment.js';
import { marked } from 'marked';
import { codeBlock, escapeMarkdown, inlineCode, link } from '../../../shared/notify/markdown.js';

describe('escapeMarkdown', () => {
  it.each([
    ['a link', '[click](https://evil.example/x)', /^\\\[click\\\]\\\(https:\u200b\/\/evil\\\.example\/x\\\)$/],
    ['an image', '![x](https://evil.example/p.png)', /^\\!\\\[x\\\]/],
    ['a mention', 'ping @octocat and @org/team', /@\u200boctocat and @\u200borg\/team/],
    ['html', '<img src=x onerror=alert(1)>', /^\\<img src\\=x onerror\\=alert\\\(1\\\)\\>$/],
    ['a setext heading after a lone carriage return', 'Approved\r=====', /^Approved \\=\\=\\=\\=\\=$/],
    ['a heading on a new line', 'ok\n# Approved', /^ok \\# Approved$/],
    ['bidi overrides', 'a\u202Eb', /^ab$/],
    ['text hidden in tag characters', 'ok\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}', /^ok$/u],
    ['blank letters and joiners', 'a\u3164b\u034Fc\u2060d\u00ADe', /^abcde$/],
    ['issue references', 'Fixes #12, octo/app#3 and GH-4', /^Fixes \\#\u200b12, octo\/app\\#\u200b3 and GH\\-\u200b4$/],
    ['a commit SHA', 'from 0123456789abcdef0123456789abcdef01234567', /^from 012345\u200b6789ab\u200bcdef01\u200b234567\u200b89abcd\u200bef0123\u200b4567$/],
    ['math', '$\\sqrt{2}$', /^&#36;\\\\sqrt\\\{2\\\}&#36;$/],
  ])('defuses %s', (_label, text, expected) => {
    expect(escapeMarkdown(text)).toMatch(expected);
  });

  it("keeps emoji's selectors and joiners", () => {
    expect(escapeMarkdown('⚡️ 👨‍👩‍👧 done')).toBe('⚡️ 👨‍👩‍👧 done');
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run in the content', () => {
    const block = codeBlock(['```', 'end of fence? ````']);

    expect(block.startsWith('`````text\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });
});

describe('inlineCode', () => {
  it('writes an empty text as a span of spaces, so a later span with a backtick stays code (attack pass 11, finding 1)', () => {
    // "``" alone is no code span: it would close at the next "``", the fence of a span whose text holds a backtick.
    const line = `raised in ${inlineCode('')} (job ${inlineCode('a `b [x](https://evil.example) c')})`;
    const html = marked.parse(line, { async: false, gfm: true });
    expect(html).not.toContain('<a ');
    expect(html).toContain('<code>a `b [x](https://evil.example) c</code>');
  });
});

describe('link', () => {
  it('links only https URLs we built and escapes the label', () => {
    expect(link('Job [x]', 'https://github.com/o/r/actions/runs/1')).toBe('[Job \\[x\\]](https://github.com/o/r/actions/runs/1)');
    expect(link('Job', 'javascript:alert(1)')).toBe('Job');
  });
});

describe('renderComment', () => {
  const base = newIncident(
    {
      id: 'gh-1-2-1', source: 'github', workflowName: 'CI', runId: 2, runAttempt: 1, category: 'test_failure',
      runUrl: 'https://github.com/o/r/actions/runs/2',
      failureLines: [{ line: 42, text: 'FAIL src/cart.test.ts > applies @admin [discount](https://x.io)' }],
      analysis: {
        provider: 'offline', model: null, rootCause: 'The test <b>expects</b> 10', fix: ['Fix `round()`'], confidence: 0.7,
        proposedAction: 'comment_only', rationale: 'code', evidence: [], latencyMs: 1,
      },
    },
    new Date('2026-11-20T10:00:00Z'),
  );

  it('starts with the hidden marker and fences log text', () => {
    const body = renderComment(base);

    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('```text\n   42 | FAIL src/cart.test.ts > applies @admin [discount](https://x.io)\n```');
    expect(body).toContain('The test \\<b\\>expects\\</b\\> 10');
    expect(body).not.toContain('<b>');
  });

  it('stays under the size limit and closes an open fence when truncated', () => {
    const huge = renderComment({ ...base, failureLines: Array.from({ length: 2000 }, (_, i) => ({ line: i + 1, text: 'x'.repeat(100) })) });

    expect(huge.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(huge).toMatch(/comment truncated/);
    expect((huge.match(/^`{3,}/gm) ?? []).length % 2).toBe(0);
    expect(truncateComment('short')).toBe('short');
  });
});

describe('renderComment: knowledge', () => {
  it('lists known similar failures with their record, escaped', () => {
    const incident = newIncident(
      {
        id: 'gh-1-2-1', source: 'github', category: 'dependency',
        knowledge: {
          matches: [], seenBefore: 0, actionOutcomes: {}, summary: 'First time this failure has been seen.',
          entries: [{
            fingerprint: 'f', source: 'curated', match: 'similar', score: 0.62, title: 'npm ERR! ETARGET [pkg](https://x.io)', category: 'dependency',
            fix: ['Pin the version that exists'], prevention: null, action: 'comment_only', attempts: 7, successes: 6, confidence: 0.49, seen: 7, lastSeen: null,
          }],
        },
      },
      new Date('2026-11-20T10:00:00Z'),
    );

    const body = renderComment(incident);

    expect(body).toContain('**Known failures like this one**');
    expect(body).toContain('62% similar, curated; comment only worked 6 of 7 times');
    expect(body).not.toContain('](https://x.io)');
  });
});
