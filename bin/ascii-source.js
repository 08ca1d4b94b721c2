// The CLI bundle's chunks in ASCII only. esbuild escapes non-ASCII characters in strings and names (its default
// `charset`), but it prints regular expression literals and `String.raw` templates as written: the rule table's
// `✗`, `│` or `‘` put the analyzer's chunk (≈360 KB) and the injection detector's (≈440 KB) in two bytes a character.
// Node then decodes each such file into a two-byte string, and V8 scans and hashes twice the bytes: in ASCII, `guard
// analyze` on a one-line log runs ~2 % fewer instructions (docs/performance.md, session 80).
//
// The rewrite keeps what the code means: a literal `/…✗…/u` becomes `new RegExp("…\u2717…","u")`, whose `source`
// and `flags` are the literal's (the rule table's stored data is keyed by sources, which an escape inside the
// expression would change); a `String.raw` template becomes the string it evaluates to, or, with substitutions, the
// same call with its raw strings written out (`String.raw({raw:[…]},(a),(b))`). It needs TypeScript's
// parser (a development dependency, as esbuild is); without it the chunks stay as esbuild wrote them.
//
// `node bin/ascii-source.js FILE…` rewrites the files in place: bin/cli-bundle.js runs it after a build, in a process
// of its own, so that the parser's heap is never added to that of the command that found the bundle stale (`guard
// analyze` of a big log peaked at 175 MB instead of ~100 with it in the same process).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A double-quoted ASCII string literal whose value is `value`: JSON's, with each non-ASCII code unit `\u`-escaped. */
export function asciiStringLiteral(value) {
  return JSON.stringify(value).replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Thrown when the parse tree does not match the text: the text is then left as written. */
class ParseTreeMismatchError extends Error {
  name = 'ParseTreeMismatchError';
}

/** How many characters of `text` are not ASCII. */
function nonAscii(text) {
  let count = 0;
  for (const char of text) if (char.codePointAt(0) > 127) count++;
  return count;
}

/** A template's raw text as `String.raw` reads it: line terminators `\r\n` and `\r` read as `\n`. */
function templateValue(text) {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * `text` (an ES module) with each regular expression literal and `String.raw` template that holds a non-ASCII
 * character rewritten in ASCII; `ts` is the `typescript` module. Returns the text and how many non-ASCII characters
 * are left (in comments, other tagged templates, a literal whose rewrite would not keep its source).
 */
export function asciiSource(text, ts) {
  if (!NON_ASCII.test(text)) return { text, left: 0 };
  const file = ts.createSourceFile('chunk.mjs', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const { SyntaxKind } = ts;

  /** The replacement of `node`, or null when it is not one this rewrites. */
  function replacement(node) {
    if (node.kind === SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(file);
      if (!NON_ASCII.test(literal)) return null;
      const close = literal.lastIndexOf('/');
      const source = literal.slice(1, close);
      const flags = literal.slice(close + 1);
      // `new RegExp` escapes a `/` or a line break the source holds unescaped; a literal holds neither outside a
      // class, and where it would differ the literal stays as written.
      let built;
      try {
        built = new RegExp(source, flags);
      } catch {
        return null;
      }
      if (built.source !== source || built.flags !== [...flags].sort().join('')) return null;
      return `new RegExp(${asciiStringLiteral(source)}${flags ? `,${asciiStringLiteral(flags)}` : ''})`;
    }
    if (node.kind === SyntaxKind.TaggedTemplateExpression && node.tag.getText(file) === 'String.raw') {
      const template = node.template;
      if (template.kind === SyntaxKind.NoSubstitutionTemplateLiteral) {
        const raw = template.getText(file).slice(1, -1);
        return NON_ASCII.test(raw) ? asciiStringLiteral(templateValue(raw)) : null;
      }
      if (!NON_ASCII.test(node.getText(file))) return null;
      // The same call with the raw strings written out: String.raw itself then evaluates the substitutions first and
      // converts them after, in order, as the tagged template did (a Symbol throws); each one is parenthesised, since
      // a substitution may be a comma expression, which an argument list would split.
      const raws = [asciiStringLiteral(templateValue(template.head.getText(file).slice(1, -2)))];
      const values = [];
      for (const span of template.templateSpans) {
        const literal = span.literal.getText(file);
        const tail = span.literal.kind === SyntaxKind.TemplateTail;
        values.push(`(${rewritten(span.expression)})`);
        raws.push(asciiStringLiteral(templateValue(literal.slice(1, tail ? -1 : -2))));
      }
      return `String.raw({raw:[${raws.join(',')}]},${values.join(',')})`;
    }
    return null;
  }

  /** The text of `node` with the rewrites below it made. */
  function rewritten(node) {
    const start = node.getStart(file);
    const edits = [];
    const visit = (child) => {
      const replaced = replacement(child);
      if (replaced === null) ts.forEachChild(child, visit);
      else {
        const from = child.getStart(file);
        // After a keyword or a name (`return/✗/.test(l)`), a call needs a space to stay a token of its own.
        const spaced = /[\w$]/.test(text[from - 1] ?? '') && /^[\w$]/.test(replaced);
        edits.push([from, child.end, spaced ? ` ${replaced}` : replaced]);
      }
    };
    const own = node === file ? null : replacement(node);
    if (own !== null) return own;
    ts.forEachChild(node, visit);
    let out = '';
    let at = node === file ? 0 : start;
    for (const [from, to, replaced] of edits) {
      // TypeScript's second parse of a module with a top-level `await` can leave a statement twice in the tree, or
      // two that overlap (`if(await/;/)String.raw\`‘\``): the tree does not describe the text, so leave the text be.
      if (from < at) throw new ParseTreeMismatchError();
      out += text.slice(at, from) + replaced;
      at = to;
    }
    return out + text.slice(at, node.end);
  }

  // A text TypeScript could not parse is read from its error recovery's tree: left as written (`parseDiagnostics` is
  // the parser's own list, which `createSourceFile` keeps on the file).
  if (file.parseDiagnostics?.length) return { text, left: nonAscii(text) };
  let out;
  try {
    out = rewritten(file);
  } catch (error) {
    if (error instanceof ParseTreeMismatchError) return { text, left: nonAscii(text) };
    throw error;
  }
  return { text: out, left: nonAscii(out) };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let ts;
  try {
    ts = (await import('typescript')).default;
  } catch {
    process.exit(0);
  }
  for (const file of process.argv.slice(2)) {
    const text = readFileSync(file, 'utf8');
    const rewritten = asciiSource(text, ts).text;
    if (rewritten === text) continue;
    // Whole or not at all: a process stopped mid-write leaves the chunk as esbuild wrote it, never cut short.
    writeFileSync(`${file}.ascii`, rewritten);
    renameSync(`${file}.ascii`, file);
  }
}
