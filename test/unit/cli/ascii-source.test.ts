import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { asciiSource, asciiStringLiteral } from '../../../bin/ascii-source.js';

const NON_ASCII = /[^\x00-\x7f]/;

/** The value of `expression`, evaluated in a context of its own. */
const valueOf = (expression: string): unknown => runInNewContext(`(${expression})`);

describe('asciiSource (the CLI bundle in ASCII, bin/ascii-source.js)', () => {
  it.each([
    ['a class of symbols', String.raw`/^\s*(?:[✗✖×]|FAIL) \S/`, ['  ✗ lint', ' × x', 'FAIL a'], ['  - ok', '✗x']],
    ['flags and an escaped slash', String.raw`/‘[^’\/]+’ not found/iu`, ['‘x’ NOT FOUND'], ['‘x/y’ not found']],
    ['a character outside the BMP, without the u flag', '/a😀+b/', ['a😀b'], ['a\uD83Db']],
    ['a character outside the BMP, with the u flag', '/^[😀-😂]$/u', ['😁'], ['😃', '\uD83D']],
  ])('rewrites a literal with %s as a RegExp of the same source, flags and matches', (_name, literal, matching, notMatching) => {
    const { text, left } = asciiSource(`export const re = ${literal};`, ts);

    const rewritten = text.replace('export const re = ', '').replace(/;$/, '');
    expect({ ascii: !NON_ASCII.test(text), left, call: rewritten.startsWith('new RegExp(') }).toEqual({ ascii: true, left: 0, call: true });
    const [before, after] = [valueOf(literal), valueOf(rewritten)] as RegExp[];
    expect({ source: after?.source, flags: after?.flags }).toEqual({ source: before?.source, flags: before?.flags });
    for (const line of matching) expect([line, after?.test(line)]).toEqual([line, true]);
    for (const line of notMatching) expect([line, after?.test(line)]).toEqual([line, false]);
  });

  it('keeps a rewritten literal a token of its own after a keyword', () => {
    const { text } = asciiSource('function f(l){return/✗ \\S/.test(l)}export{f};', ts);

    expect(text).toContain('return new RegExp(');
    expect(runInNewContext(`${text.replace('export{f};', '')}; [f('✗ a'), f('x a')]`)).toEqual([true, false]);
  });

  it('rewrites String.raw templates, with and without substitutions, nested, as the strings they give', () => {
    const templates = [
      'String.raw`pr\\s+(?:prüfung|überprüfung)\\b`',
      'String.raw`(?:${"a|b"})\\s+${String.raw`ändern\\d`}’`',
      'String.raw`x${1 + 1}\\u00e9${[1, 2]}é\r\ny`',
    ];
    for (const template of templates) {
      const { text, left } = asciiSource(`export const value = ${template};`, ts);

      expect({ ascii: !NON_ASCII.test(text), left }).toEqual({ ascii: true, left: 0 });
      expect(valueOf(text.replace('export const value = ', '').replace(/;$/, ''))).toBe(valueOf(template));
    }
  });

  it('keeps String.raw\'s substitutions as it reads them: a comma expression, a Symbol, the order of conversions', () => {
    const module = [
      'const f = () => 0, b = "B";',
      'export const comma = String.raw`‘${f(),b}’`;',
      'export let symbol; try { symbol = String.raw`é${Symbol("s")}`; } catch (error) { symbol = error.constructor.name; }',
      'let n = 0; const o = { toString() { return "o" + n; } };',
      'export const order = String.raw`é${o}${(n = 5, "x")}`;',
    ].join('\n');
    const run = (text: string): unknown => runInNewContext(`${text.replaceAll('export ', '')}; [comma, symbol, order]`);

    const { text, left } = asciiSource(module, ts);

    expect({ ascii: !NON_ASCII.test(text), left }).toEqual({ ascii: true, left: 0 });
    expect(run(text)).toEqual(run(module));
    expect(run(module)).toEqual(['‘B’', 'TypeError', 'éo5x']);
  });

  it('leaves a module as written when the parse tree does not match its text (a top-level await TypeScript parses twice)', () => {
    for (const text of ['export{};if(await/;/)String.raw`‘`', 'export{};await/`/`${/é/}`', 'export const t=await/×+]2/;/✗/']) {
      expect(asciiSource(text, ts).text).toBe(text);
    }
  });

  it('leaves strings, ASCII literals, comments and other tagged templates as written', () => {
    const text = 'const a = /plain \\d+/g, b = "é", c = tag`ü`; /* © */ const d = String.raw`\\d`;';

    const result = asciiSource(text, ts);

    expect(result.text).toBe(text);
    expect(result.left).toBe(3);
    expect(asciiSource('const a = /x/;', ts)).toEqual({ text: 'const a = /x/;', left: 0 });
  });

  it('writes string literals in ASCII whatever they hold', () => {
    const value = 'quote " backslash \\ line\nbreak\r tab\t é 😀 \u2028 \u0000';

    const literal = asciiStringLiteral(value);

    expect(NON_ASCII.test(literal)).toBe(false);
    expect(valueOf(literal)).toBe(value);
  });
});
