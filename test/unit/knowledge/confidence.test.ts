import { describe, expect, it } from 'vitest';
import { confidenceScore, normalQuantile, wilsonInterval, zForConfidence } from '../../../shared/knowledge/confidence.js';

describe('normalQuantile', () => {
  it.each([
    [0.975, 1.959963985],
    [0.95, 1.644853627],
    [0.995, 2.575829304],
    [0.5, 0],
    [0.001, -3.090232306],
  ])('Φ⁻¹(%s) = %s (published tables)', (p, z) => {
    // Act
    const value = normalQuantile(p);

    // Assert
    expect(value).toBeCloseTo(z, 6);
  });

  it('turns a two-sided confidence level into z', () => {
    expect(zForConfidence(0.95)).toBeCloseTo(1.96, 2);
    expect(zForConfidence(0.99)).toBeCloseTo(2.5758, 4);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score, no CC).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i at 95%% is [%s, %s]', (successes, attempts, lower, upper) => {
    // Act
    const interval = wilsonInterval(successes, attempts, 0.95);

    // Assert
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
    expect(interval.rate).toBeCloseTo(successes / attempts, 10);
  });

  it('is [0, 1] with no attempts and stays inside [0, 1] at the edges', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, lower: 0, upper: 1 });
    expect(wilsonInterval(10, 10).upper).toBe(1);
    expect(wilsonInterval(0, 10).lower).toBe(0);
  });

  it('narrows as evidence grows at the same rate', () => {
    const small = wilsonInterval(6, 7);
    const large = wilsonInterval(60, 70);

    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });
});

describe('confidenceScore', () => {
  it('does not trust one lucky success', () => {
    // Arrange / Act
    const one = confidenceScore(1, 1);
    const many = confidenceScore(40, 50);

    // Assert: 1/1 is a raw 100 % but scores about 0.21; 40/50 (80 %) scores higher.
    expect(one).toBeCloseTo(0.2065, 3);
    expect(many).toBeGreaterThan(one);
    expect(many).toBeCloseTo(0.6696, 3);
  });

  it('is 0 without outcomes', () => {
    expect(confidenceScore(0, 0)).toBe(0);
  });
});
