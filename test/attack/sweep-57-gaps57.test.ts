import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { RULES, type Rule } from '../../shared/logs/rules.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../support/growth.js';

// Session 57's review of the extractor's rule changes (branch gaps57): real output the new rules must read as their
// tool's, and output of other tools they must leave alone.

/**
 * Every finding of a real `go vet ./...` (Go 1.19) over a package written to trip each analyzer it runs by default,
 * in the order vet printed them (two runs: the second holds the checks the first one's code hid).
 */
const VET_FINDINGS = [
  './a.go:36:2: self-assignment of x to x',
  './a.go:65:2: direct assignment to atomic value',
  './a.go:37:5: redundant or: x == 1 || x == 1',
  './a.go:39:5: suspect or: x != 1 || x != 2',
  './a.go:18:16: ByValue passes lock by value: example.com/vetall.Locked contains sync.Mutex',
  './a.go:59:2: second argument to errors.As must be a non-nil pointer to either a type that implements error, or to any interface type',
  './a.go:51:8: using resp before checking for errors',
  './a.go:56:27: loop variable v captured by func literal',
  './a.go:44:7: the cancel function returned by context.WithCancel should be called, not discarded, to avoid a context leak',
  './a.go:46:5: comparison of function F == nil is always false',
  './a.go:30:2: fmt.Printf format %d has arg s of wrong type string',
  './a.go:32:2: fmt.Printf format %s reads arg #2, but call has 1 arg',
  './a.go:33:2: fmt.Println arg list ends with redundant newline',
  './a.go:34:2: fmt.Printf format %v arg F is a func value, not called',
  './a.go:35:2: fmt.Printf format %z has unknown verb z',
  './a.go:49:6: b (8 bits) too small for shift of 9',
  './a.go:67:2: misuse of unbuffered os.Signal channel as argument to signal.Notify',
  './a.go:77:10: method ReadByte() byte should have signature ReadByte() (byte, error)',
  './a.go:63:6: conversion from int to string yields a string of one rune, not a string of digits (did you mean fmt.Sprint(x)?)',
  './a.go:22:2: struct field tag `json:a` not compatible with reflect.StructTag.Get: bad syntax for struct tag value',
  './a_test.go:6:14: call to (*T).Fatal from a non-test goroutine',
  './a.go:72:2: unreachable code',
  './a.go:69:6: possible misuse of unsafe.Pointer',
  './a.go:43:13: result of fmt.Sprintf call not used',
  './b.go:22:9: impossible type assertion: no type can implement both example.com/vetall.R and example.com/vetall.W (conflicting types for Read method)',
  './b.go:27:2: the cancel function is not used on all paths (possible context leak)',
  './b.go:29:3: this return statement may be reached without using the cancel var defined on line 27',
  './b.go:19:2: fmt.Println call has possible formatting directive %d',
  './b.go:20:12: fmt.Printf call has arguments but no formatting directives',
  './b.go:12:2: struct field B repeats json tag "a" also at b.go:11',
];

describe('sweep 57: go vet\'s findings', () => {
  const vetFinding = RULES.find((rule) => rule.id === 'go.vet-finding');

  it('reads every finding of a real go vet run with vet\'s rule', () => {
    // Act
    const missed = VET_FINDINGS.filter((line) => vetFinding?.re.test(line) !== true);
    // Assert
    expect(missed).toEqual([]);
  });

  it('reports no finding of a vet run as a compile error', async () => {
    // Act
    const analysis = await analyzeLog(['# example.com/vetall', ...VET_FINDINGS].join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule).filter((rule) => rule !== 'go.vet-finding')).toEqual([]);
  });
});


function ruleById(id: string): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule;
}

/**
 * Larger than the extent tests' long lines (1,000 to 8,000 characters): the square linker.error's first definition
 * cost took 0.3 ms at 1,000, which the fit reads as its floor (0.5 ms), and fitted under the bound there.
 */
const LONG_LINE_SIZES = [2_000, 4_000, 8_000, 16_000];

interface Hostile {
  name: string;
  re: RegExp | undefined;
  /** A line of about `size` characters that almost matches. */
  textOf: (size: number) => string;
}

const around = (head: string, unit: string, tail: string) => (size: number): string => head + repeatedTo(unit)(size) + tail;

const HOSTILE: Hostile[] = [
  // Each `:(` is a place a section may open; none closes.
  { name: 'linker.error, a first definition on its own line', re: ruleById('linker.error').re, textOf: around('', 'a:(.a', ': first defined here') },
  { name: 'linker.error look-back, binutils before 2.32', re: ruleById('linker.error').lookback?.re, textOf: around('a.o: In function `', "':x", 'x') },
  { name: 'lld.error headline', re: ruleById('lld.error').re, textOf: around('', 'ld.lld/', 'x') },
  { name: 'go.vet-finding, wordings almost met', re: ruleById('go.vet-finding').re, textOf: around('./a.go:1:2: ', ' format %d has ar', 'x') },
  { name: 'go.vet-finding, a signature that never ends', re: ruleById('go.vet-finding').re, textOf: around('./a.go:1:2: method a(', ' a', 'x') },
  { name: 'go.vet-finding, a file name of many parts', re: ruleById('go.vet-finding').re, textOf: around('', 'a.go:1', 'x') },
  { name: 'go.import-missing, a file name of many parts', re: ruleById('go.import-missing').re, textOf: around('', 'a.go', ':1:2: x') },
  { name: 'go.import-missing, GOPATH form', re: ruleById('go.import-missing').re, textOf: around('cannot find package "', 'a', '" in any of: x') },
  { name: 'cc.error look-back, what it reads past', re: ruleById('cc.error').lookback?.through, textOf: around('', 'a:1:1: ', '[ skipping x') },
  { name: 'shellcheck pick', re: ruleById('shellcheck').pick?.[0]?.re, textOf: around('', 'SC1234 (info)', 'x') },
  { name: 'node.module-missing headline', re: ruleById('node.module-missing').re, textOf: around('', 'new ERR_MODULE_NOT_FOUND(', 'x') },
];

describe('sweep 57: the new expressions on long lines that almost match', () => {
  it.each(HOSTILE)('reads a long line in linear time: $name', { timeout: 120_000 }, ({ re, textOf }) => {
    if (re === undefined) throw new Error('no expression');
    expect(cpuGrowthExponent(LONG_LINE_SIZES, textOf, (text) => re.test(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
