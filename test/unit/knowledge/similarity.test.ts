import { describe, expect, it } from 'vitest';
import { CURATED_ENTRIES } from '../../../shared/knowledge/curated.js';
import { containment, jaccard, shingles, tokenize, topSimilar } from '../../../shared/knowledge/similarity.js';
import { fingerprintOf } from '../../../shared/logs/fingerprint.js';

describe('tokenize and shingles', () => {
  it('drops masks, stop words and one-letter tokens', () => {
    expect(tokenize('Error: expected <n> to be <n> at src/a.ts:<n>')).toEqual(['expected', 'src', 'ts']);
  });

  it('adds adjacent word pairs', () => {
    expect([...shingles('module not found')]).toEqual(['module', 'not', 'found', 'module not', 'not found']);
  });
});

describe('jaccard', () => {
  it('is |A∩B| / |A∪B|', () => {
    // Arrange
    const a = new Set(['a', 'b', 'c']);
    const b = new Set(['b', 'c', 'd', 'e']);

    // Act / Assert: 2 shared of 5 distinct
    expect(jaccard(a, b)).toBeCloseTo(0.4, 10);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(a, new Set(['x']))).toBe(0);
  });

  it('containment measures how much of the query a text covers', () => {
    expect(containment(new Set(['heap', 'memory']), new Set(['heap', 'memory', 'node']))).toBe(1);
    expect(containment(new Set(), new Set(['x']))).toBe(0);
  });
});

describe('topSimilar', () => {
  const candidates = [
    { id: 'oom', template: fingerprintOf('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory').template },
    { id: 'module', template: fingerprintOf("Error: Cannot find module 'lodash' Require stack: - /app/index.js").template },
    { id: 'dns', template: fingerprintOf('curl: (6) Could not resolve host: registry.example.com').template },
  ];

  it('ranks the same failure with different details first, with its score', () => {
    // Arrange: another package name, another path
    const template = fingerprintOf("Error: Cannot find module 'express' Require stack: - /srv/server.js").template;

    // Act
    const results = topSimilar(template, candidates, (c) => c.template);

    // Assert
    expect(results[0]?.item.id).toBe('module');
    expect(results[0]?.score).toBeGreaterThanOrEqual(0.35);
    expect(results.map((r) => r.item.id)).not.toContain('dns');
  });

  it('keeps only scores above the threshold, at most k, best first', () => {
    const template = candidates[0]?.template ?? '';

    expect(topSimilar(template, candidates, (c) => c.template, { threshold: 0.99 }).map((r) => r.item.id)).toEqual(['oom']);
    expect(topSimilar(template, candidates, (c) => c.template, { threshold: 0, k: 2 })).toHaveLength(2);
    expect(topSimilar('completely unrelated words here', candidates, (c) => c.template)).toEqual([]);
  });

  it('finds the curated entry for a real Node OOM line', () => {
    // Arrange: a real line, with timestamps and numbers that the template masks
    const line = '2026-11-20T09:12:01.123Z <--- JS stacktrace ---> FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';

    // Act
    const [best] = topSimilar(fingerprintOf(line).template, CURATED_ENTRIES, (e) => e.template);

    // Assert
    expect(best?.item.title).toBe('Node.js heap out of memory');
  });
});
