import { bracketDepth } from './bracket-readings.js';

/**
 * Names given literals, read in the places they are given to a process call (the patch check's package-command reading,
 * `patch.ts`): a command named apart from its call is the command the call runs.
 */

/**
 * A name the added lines give a string or a list literal, alone on its statement (`cmd = 'npm install x'`, `CMD = […]`),
 * in parentheses (`cmd = (⏎'npm install x'⏎)`), or joined into one string (`['npx', 'x'].join(' ')`, Python's
 * `' '.join([…])`): the name in group 1, the literal in group 2 or 4 (attack-51).
 */
const GIVEN_LITERAL = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::=|=(?![=>]))\s*(?:\(\s*)?(?:((["'\x60])[^\n]*?\3|\[[^\n\]]*\])(?:\s*\.\s*join\s*\(\s*(?:"[^"\n]*"|'[^'\n]*'|\x60[^\x60\n]*\x60)?\s*\))?|(?:"[^"\n]*"|'[^'\n]*')\s*\.\s*join\s*\(\s*(\[[^\n\]]*\])\s*\))(?:\s*\))?\s*;?\s*$/gm;
/** A name the added lines give an object or a dict literal, alone on its statement (`const c = { cmd: 'npx x' }`). */
const GIVEN_OBJECT = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::=|=(?![=>]))\s*\{([^{}\n]*)\}\s*;?\s*$/gm;
/** One of an object literal's keys given a string or a list literal (`cmd: 'npx x'`, `'cmd': […]`). */
const LITERAL_PROPERTY = /(["']?)([A-Za-z_$][\w$]*)\1\s*:\s*((["'\x60])(?:(?!\4)[^\\\n]|\\.)*\4|\[[^\n\]]*\])/g;
/** A name standing as an argument, not a call's (`cmd`, `c.cmd`, `c['cmd']`, not `cmd.split()`). */
const ARGUMENT_NAME = /(?<=[(,[]\s*)[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\[\s*(["'])[\w$]+\1\s*\])?(?=\s*[,)\]])/g;
/** A property's name as {@link literalsInPlace} keys it: `c['cmd']` and `c . cmd` as `c.cmd`. */
const propertyKey = (name: string): string => name.replace(/\s+/g, '').replace(/\[(["'])([\w$]+)\1\]/, '.$2');

/** A line giving a name a value whose brackets it opens (`cmd = [`, `cmd = (`, `const c = {`). */
const OPENS_A_VALUE = /(?<![\w$.])[A-Za-z_$][\w$]*\s*(?::=|=(?![=>]))\s*[(\[{]/;
/** The most characters a value given over several lines is joined to: more than a command's literal, far less than a block. */
const JOINED_VALUE_CHARS = 1000;

/**
 * The statements of `lines` that give a name a value over several lines (`cmd = ['npx',⏎ 'x']`), each joined into one
 * line, so that a literal given across lines is read as one given on its line; one whose brackets stay open past
 * {@link JOINED_VALUE_CHARS} is none. A value is read at most that far, so the whole is linear in the lines.
 */
function valuesJoined(lines: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    let statement = lines[index]!;
    let depth = OPENS_A_VALUE.test(statement) ? bracketDepth(statement, 0, statement.length, 0, false).depth : 0;
    let end = index + 1;
    if (depth <= 0) continue;
    for (; depth > 0 && end < lines.length && statement.length < JOINED_VALUE_CHARS; end++) {
      const line = lines[end]!;
      statement += ` ${line}`;
      depth = bracketDepth(line, 0, line.length, depth, false).depth;
    }
    if (depth > 0) continue;
    joined.push(statement);
    index = end - 1;
  }
  return joined;
}

/**
 * `lines` with the names {@link GIVEN_LITERAL} and {@link GIVEN_OBJECT} read given a literal in their place where they
 * stand as arguments after a process call's opening (attack-48 R: `cmd = 'npm install x'` then
 * `subprocess.run(cmd, shell=True)`, `exec.Command("sh", "-c", cmd)`; attack-51: a literal given over several lines,
 * joined, or as an object's property), or null when the lines give no name one.
 */
export function literalsInPlace(lines: readonly string[], callOpening: RegExp): string[] | null {
  const given = new Map<string, string>();
  for (const statements of [lines.join('\n'), valuesJoined(lines).join('\n')]) {
    for (const match of statements.matchAll(GIVEN_LITERAL)) given.set(match[1]!, (match[2] ?? match[4])!);
    for (const object of statements.matchAll(GIVEN_OBJECT)) {
      for (const property of object[2]!.matchAll(LITERAL_PROPERTY)) given.set(`${object[1]}.${property[2]}`, property[3]!);
    }
  }
  if (given.size === 0) return null;
  return lines.map((line) => {
    const call = line.search(callOpening);
    return call < 0 ? line : line.slice(0, call) + line.slice(call).replace(ARGUMENT_NAME, (name) => given.get(propertyKey(name)) ?? name);
  });
}
