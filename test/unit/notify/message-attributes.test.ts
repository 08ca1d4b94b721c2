import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_VALUE_MAX_CHARS, filterAttributeValue, filterAttributes } from '../../../shared/notify/message-attributes.js';

describe('filterAttributeValue: a String message attribute SNS takes', () => {
  it('keeps ordinary names as they are, so exact and prefix filters on them match', () => {
    expect(['main', 'release/1.2', 'feature/x', 'caf\u00e9', '\u65e5\u672c', 'a b-c_d.e'].map(filterAttributeValue)).toEqual(['main', 'release/1.2', 'feature/x', 'caf\u00e9', '\u65e5\u672c', 'a b-c_d.e']);
  });

  it('replaces with ? what SNS refuses or a filter policy cannot match plainly', () => {
    // An emoji (outside the Basic Multilingual Plane), a lone surrogate, control characters, a quote and a backslash.
    expect(filterAttributeValue('fix/\u{1F525}-\uD800-\u0007\u007F-"q"-a\\b')).toBe('fix/?-?-??-?q?-a?b');
  });

  it('keeps at most 256 characters, never splitting a pair into a lone surrogate', () => {
    expect(filterAttributeValue('x'.repeat(300))).toBe('x'.repeat(ATTRIBUTE_VALUE_MAX_CHARS));
    expect(filterAttributeValue(`${'b'.repeat(255)}\u{1F525}`)).toBe(`${'b'.repeat(255)}?`);
  });

  it('answers null for a value with nothing to send (SNS refuses an empty one)', () => {
    expect(filterAttributeValue('')).toBeNull();
  });

  it('changes nothing the second time: a value made safe once is safe', () => {
    const once = filterAttributeValue(`fix/\u{1F525}-"quoted"\u0007-${'x'.repeat(300)}`) as string;
    expect(filterAttributeValue(once)).toBe(once);
  });
});

describe('filterAttributes', () => {
  it('makes each value safe and leaves out an empty one', () => {
    expect(filterAttributes({ severity: 'high', alarm: 'checkout \u{1F6A8} 5xx', account: '' })).toEqual({ severity: 'high', alarm: 'checkout ? 5xx' });
  });

  it('makes each value of a list safe, leaves out empty values and repeats, and an empty list altogether', () => {
    expect(filterAttributes({ alarm: ['payments-5xx', '', 'checkout \u{1F6A8} 5xx', 'payments-5xx', 'checkout \u{1F525} 5xx'], repository: [''], branch: [] })).toEqual({
      alarm: ['payments-5xx', 'checkout ? 5xx'],
    });
  });
});
