import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_MAX_BYTES, GITHUB_COMMENT_MAX_CHARS } from '../../../shared/domain/comment-limit.js';
import { parseApprovalCommand } from '../../../shared/ingest/comment-commands.js';
import { parseFeedbackCommand } from '../../../shared/knowledge/feedback.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../../support/growth.js';

/** Comment sizes up to GitHub's bound, in characters. */
const COMMENT_COST_SIZES = [GITHUB_COMMENT_MAX_CHARS / 8, GITHUB_COMMENT_MAX_CHARS / 4, GITHUB_COMMENT_MAX_CHARS / 2, GITHUB_COMMENT_MAX_CHARS];

/**
 * The rule for a /guard command (commandLine, shared/domain/comment-text.ts, after attack-47 and attack-48): read only
 * at column 0, after text free of < ` ~ [ | $ > and of whitespace other than space, tab and line ends, in a body
 * within GitHub's limit. What follows it does not matter.
 */
const APPROVED = { decision: 'approve', incidentId: null, digest: null, reason: null };

describe('a /guard command first in the comment', () => {
  it.each([
    ['a fence', '/guard approve\n```\ncode\n```'],
    ['an unclosed HTML comment', '/guard approve\n<!--'],
    ['a quote', '/guard approve\n> they said'],
    ['a table', '/guard approve\n| a | b |\n| - | - |'],
    ['an unclosed <details>', '/guard approve\n<details>\n\n/guard reject'],
    ['NBSP and U+FEFF lines', '/guard approve\n\u00a0\n\uFEFF'],
  ])('is read whatever markup follows it: %s', (_, body) => {
    expect(parseApprovalCommand(body)).toEqual(APPROVED);
  });

  it('reads feedback first in the comment with markup after it too', () => {
    expect(parseFeedbackCommand('/guard feedback up\n> quoted `code` <b>')).toEqual({ vote: 'up', incidentId: null, comment: null });
  });

  it('keeps the text on the command line as before: control characters dropped, bounded', () => {
    expect(parseApprovalCommand(`/guard reject gh-1-2-1 not\u0007 flaky <b> \`x\` ${'y'.repeat(600)}\n> after`)).toEqual({
      decision: 'reject', incidentId: 'gh-1-2-1', digest: null, reason: `not flaky <b> \`x\` ${'y'.repeat(600)}`.slice(0, 500),
    });
    expect(parseFeedbackCommand(`/guard feedback down gh-1-2-1 ${'z'.repeat(600)}`)?.comment).toBe('z'.repeat(500));
  });

  it("in a body within GitHub's bound that JavaScript counts as longer (an emoji is two UTF-16 units, four UTF-8 bytes)", () => {
    expect(parseApprovalCommand(`/guard approve\n${'\u{1F680}'.repeat(40_000)}`)).toEqual(APPROVED);
    expect(parseApprovalCommand(`${'\u{1F680}'.repeat(GITHUB_COMMENT_MAX_BYTES / 4 - 4)}\n/guard approve`)).toEqual(APPROVED);
  });
});

describe('a /guard command after plain prose', () => {
  it.each([
    ['letters, digits and punctuation', 'LGTM, checked 3 runs: all green (flaky!). Ok? Yes; "done" - 100% & 2+2=4.\n/guard approve'],
    ['emphasis with * and _', 'This is *really* __flaky__ and _known_ **now**\n/guard approve'],
    ['a heading and a list', '# Review\n\n- checked the log\n- 2. retried\n1. item\n/guard approve'],
    ['@mentions, issue numbers and URLs without <>', '@octocat see #123 and https://example.com/ci/run?id=1#L2\n\n/guard approve'],
    ['a setext underline after it', 'Looks fine\n/guard approve\n==='],
    ['space and tab at line ends and blank lines', 'LGTM \t\n \t\n\r\n/guard approve'],
  ])('is read after %s', (_, body) => {
    expect(parseApprovalCommand(body)).toEqual(APPROVED);
  });
});

describe('a /guard command refused', () => {
  it.each(['<', '`', '~', '[', '|', '$', '>'])('after a %s anywhere before it', (markup) => {
    expect(parseApprovalCommand(`LGTM ${markup} ok\n/guard approve`)).toBeNull();
    expect(parseApprovalCommand(`${markup}\n\n/guard approve`)).toBeNull();
    expect(parseFeedbackCommand(`x${markup}\n/guard feedback up`)).toBeNull();
  });

  it.each([
    ['an NBSP line', 'LGTM\n\u00a0\n/guard approve'],
    ['a U+FEFF line', 'LGTM\n\uFEFF\n/guard approve'],
    ['an ideographic space', 'LGTM\u3000\n/guard approve'],
    ['a zero-width space', 'LGTM\u200b\n/guard approve'],
    ['a form feed', 'LGTM\f\n/guard approve'],
    ['a line separator', 'LGTM\u2028\n/guard approve'],
    ['a control character', 'LGTM\u0007\n/guard approve'],
  ])('after %s before it', (_, body) => {
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it.each([
    ['a space', ' /guard approve'],
    ['a tab', '\t/guard approve'],
    ['an NBSP', '\u00a0/guard approve'],
    ['a quote', '> /guard approve'],
    ['text on its line', 'please /guard approve'],
  ])('when %s comes before it on its line', (_, body) => {
    expect(parseApprovalCommand(body)).toBeNull();
  });

  it('in a body longer than GitHub allows, even first in it', () => {
    expect(parseApprovalCommand(`LGTM\n/guard approve\n${'x'.repeat(GITHUB_COMMENT_MAX_BYTES)}`)).toBeNull();
    expect(parseApprovalCommand(`/guard approve\n${'x'.repeat(GITHUB_COMMENT_MAX_BYTES)}`)).toBeNull();
    expect(parseFeedbackCommand(`/guard feedback up\n${'x'.repeat(GITHUB_COMMENT_MAX_BYTES)}`)).toBeNull();
    expect(parseApprovalCommand(`${'x'.repeat(GITHUB_COMMENT_MAX_BYTES - '\n/guard approve'.length)}\n/guard approve`)).toEqual(APPROVED);
    // GitHub counts UTF-8 bytes: 65,536 emoji fill the bound, and a command line more is over it.
    expect(parseApprovalCommand(`/guard approve\n${'\u{1F680}'.repeat(GITHUB_COMMENT_MAX_BYTES / 4)}`)).toBeNull();
  });

  // The cost's growth over sizes up to GitHub's bound, not a time limit: a time limit fails on a busy machine (a
  // fresh-clone run under a load of 24 read 139 ms against the 100 it allowed) and passes a quadratic reading on a
  // fast one.
  it.each([
    ['` \n', '\n/guard approve'],
    ['a\n', '\n/guard approve'],
    ['\n', '/guard approve'],
    ['/guard approvex\n', '/guard approve'],
    ['/guard reject \t', ' \t'],
    ['*a ', '\n/guard approve'],
  ] as const)('reads a hostile comment of %j lines up to 64 KB in linear time', (unit, end) => {
    const textOf = (size: number) => `${repeatedTo(unit)(size - end.length)}${end}`;
    const read = (body: string) => [parseApprovalCommand(body), parseFeedbackCommand(body)];
    expect(cpuGrowthExponent(COMMENT_COST_SIZES, textOf, read)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
