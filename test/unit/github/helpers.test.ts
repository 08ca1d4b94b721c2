import { describe, expect, it } from 'vitest';
import { GITHUB_COMMENT_MAX_CHARS } from '../../../shared/domain/comment-limit.js';
import { fitCommentBody } from '../../../shared/github/comment-limit.js';
import { createPacer } from '../../../shared/github/pacer.js';
import { nextPageQuery } from '../../../shared/github/pagination.js';

const MARKER = '<!-- pipeline-guard -->';

describe('fitCommentBody', () => {
  it('leaves a body within the limit untouched', () => {
    // Prepare
    const body = `${MARKER}\nhello`;

    // Act
    const fitted = fitCommentBody(body, MARKER);

    // Assert
    expect(fitted).toBe(body);
  });

  it('appends a missing marker', () => {
    // Act
    const fitted = fitCommentBody('hello', MARKER);

    // Assert
    expect(fitted).toBe(`hello\n\n${MARKER}`);
  });

  it('cuts an oversized body to the limit, says so, and keeps a trailing marker', () => {
    // Prepare
    const body = `${'a'.repeat(100_000)}\n${MARKER}`;

    // Act
    const fitted = fitCommentBody(body, MARKER);

    // Assert
    expect(fitted.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(fitted).toMatch(/\*\*Truncated:\*\* this comment exceeded GitHub's 65536-character limit; \d+ characters were omitted\./);
    expect(fitted.endsWith(MARKER)).toBe(true);
    expect(fitted.split(MARKER)).toHaveLength(2);
  });

  it('keeps a leading marker without repeating it', () => {
    // Prepare
    const body = `${MARKER}\n${'b'.repeat(100_000)}`;

    // Act
    const fitted = fitCommentBody(body, MARKER);

    // Assert
    expect(fitted.startsWith(MARKER)).toBe(true);
    expect(fitted.split(MARKER)).toHaveLength(2);
  });

  it('closes a code fence the cut lands in so the note renders as text', () => {
    // Prepare
    const body = `${MARKER}\n\`\`\`text\n${'log line\n'.repeat(20_000)}\`\`\`\n`;

    // Act
    const fitted = fitCommentBody(body, MARKER, 1_000);

    // Assert
    expect(fitted.length).toBeLessThanOrEqual(1_000);
    const beforeNote = fitted.slice(0, fitted.indexOf('\n\n---\n> ✂️'));
    expect(beforeNote.endsWith('\n```')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    // Prepare: every character is an emoji (two UTF-16 units), so some cut would land between halves.
    const body = `${MARKER}${'😀'.repeat(1_000)}`;

    // Act
    const fitted = fitCommentBody(body, MARKER, 501);

    // Assert
    expect(fitted.length).toBeLessThanOrEqual(501);
    // encodeURIComponent throws URIError on a lone surrogate.
    expect(() => encodeURIComponent(fitted)).not.toThrow();
  });
});

describe('nextPageQuery', () => {
  it('takes the query of the next link from a GitHub Link header', () => {
    // Prepare
    const link =
      '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=3>; rel="next", ' +
      '<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=9>; rel="last"';

    // Act
    const query = nextPageQuery(link);

    // Assert
    expect(query).toEqual({ per_page: '100', page: '3' });
  });

  it('supports cursor pagination', () => {
    // Act
    const query = nextPageQuery('<https://ghe.example.com/api/v3/x?after=Y3Vyc29y&per_page=100>; rel="next"');

    // Assert
    expect(query).toEqual({ after: 'Y3Vyc29y', per_page: '100' });
  });

  it('answers null on the last page or without a header', () => {
    // Act / Assert
    expect(nextPageQuery('<https://api.github.com/x?page=1>; rel="first", <https://api.github.com/x?page=2>; rel="prev"')).toBeNull();
    expect(nextPageQuery(undefined)).toBeNull();
  });
});

describe('createPacer', () => {
  it('runs tasks one at a time in order and keeps going after a failure', async () => {
    // Prepare
    const limiter = createPacer(0).key('any');
    const order: string[] = [];
    const task = (name: string, fail = false) => async (): Promise<string> => {
      order.push(`start ${name}`);
      await Promise.resolve();
      order.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };

    // Act
    const results = await Promise.allSettled([
      limiter.schedule({ priority: 0 }, task('a')),
      limiter.schedule({}, task('b', true)),
      limiter.schedule(task('c')),
    ]);

    // Assert
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
