/**
 * The grammar the generic rules read a secret's key, flag or command by: key names, separators, values, YAML and
 * XML keys, htpasswd's options, a line's CI prefix and an INI file's `pass =` line.
 */
import { mixedRandom, passwordValue } from './secret-values.js';

/**
 * Key names that say a password follows, and those that say another secret does (`api_key`, `client_secret`). A
 * password key is also spelled as real configurations spell it: with a zero for the o or fives for the s
 * (`passw0rd`, Spring's `pa55word`; an identifier can hold digits, not `@` or `$`) and with a `-` or `_` between its
 * words (`pass-word`, Spring's relaxed binding). An OAuth client secret is read as a password: it is a credential
 * whatever it looks like, words joined by `+` in a form body too (`client_secret=correct+horse+battery`).
 */
export const PASSWORD_KEY = '(?:pa(?:ss|55)[-_]?w[o0]rd|passwd|pwd|passphrase|client[_-]?secret)';
/**
 * A password key's short spellings, where they end the key (matched with case): an environment variable's `_PASS` or
 * `_PW` (`DB_PASS`, `RABBITMQ_DEFAULT_PASS`, `VNC_PW`), and in lower case after a word naming what logs in
 * (`smtp_pass`, `mail.pass`, `db_pw`). Not `pass` alone or after any word: automake's `PASS: test`, code's
 * `first_pass = …` and `ruff_pass: bool` are no passwords (an INI line whose key is `pass` alone is: see
 * {@link INI_PASS_LINE}).
 */
export const SHORT_PASSWORD_KEY = String.raw`(?:[A-Z][A-Z0-9_]{0,60}_(?:PASS|PW)|(?:[\w.-]{0,40}[_.-])?(?:db|database|smtp|mail|email|redis|mysql|mariadb|postgres|pg|mongo|ftp|sftp|proxy|ldap|vnc|amqp|rabbitmq|admin|root|user|login|auth)[_.-](?:pass|pw))(?![A-Za-z0-9])`;
/**
 * Key names that say another secret follows. SonarScanner's `sonar.login` is its token (the name before `sonar.token`)
 * or a user's login when `sonar.password` follows: a secret key's value must look generated, which a login does not.
 */
export const SECRET_KEY = String.raw`(?:secret|token|api[_-]?key|apikey|access[_-]?key|subscription[_-]?key|functions?[_-]?key|private[_-]?key|credentials?|auth[_-]?key|signing[_-]?key|encryption[_-]?key|client[_-]?key|session[_-]?key|master[_-]?key|webhook[_-]?url|sonar[._-]?login)`;
/**
 * What joins a key to its value: `:`, `=` or Ruby's and PHP's `=>` (a Rails `Parameters:` line, print_r's
 * `[password] => …`), after a quote or PHP's `]`; quotes may be escaped, at any level up to three
 * (`{\"password\":\"…\"}`, JSON logged inside a JSON string; `\\\"` a level deeper).
 */
export const KEY_END = String.raw`(?:\\{0,7}["']|\])?`;
export const KEY_SEPARATOR = String.raw`[^\S\n]{0,4}(?:=>|[:=])[^\S\n]{0,4}\\{0,7}["']?`;
/** A value's character, up to an escaped quote that ends it (`…\"}`), for values in `"…"` or bare. */
export const valueChar = (excluded: string): string => String.raw`(?:[^\s"'\`${excluded}\\]|\\(?!["']))`;
/**
 * A flag's value: quoted (escaped quotes too, at any level), or bare up to whitespace or a quote however long it is,
 * so a long password is not cut with its end left in the text (a bare run is read once: linear). A quoted value is
 * found by its first 200 characters, closed or not: the generic rules read it to its closing quote
 * ({@link quotedValue}, up to {@link MAX_QUOTED_VALUE} characters), and one left open on its line is taken as far
 * as it was read (it used to be left whole).
 */
export const FLAG_VALUE = String.raw`(?:\\{0,7}(?:'[^'\n]{1,200}'?|"[^"\n]{1,200}"?)|[^\s'"]+)`;
/** A flag that makes a command read a secret from its standard input (a registry login, the GitHub CLI's login). */
export const STDIN_SECRET_FLAG = String.raw`(?:--password-stdin|--with-token|--token-stdin|--password-from-stdin)\b`;
/** What every match of the stdin rules holds, looked for once before their `echo` or flag is tried. */
export const STDIN_SECRET_GATE = /--(?:password-stdin|with-token|token-stdin|password-from-stdin)/;
/** The name of a pair in a connection string, a form body or a query (`Database`, `User Id`, `remember`). */
export const PAIR_NAME = String.raw`[\w .[\]-]{1,40}`;
/**
 * A `;` or `&` inside a password: one before another pair (`;Database=`, `&username=`), whitespace or the end of the
 * line separates pairs or commands instead (a form-encoded password's own `&` is `%26`).
 */
const PAIR_SEPARATOR_IN_VALUE = String.raw`[;&](?![^\S\n]*${PAIR_NAME}=|\s|$)`;
/** A password's value after its key: quoted, or bare up to whitespace, `<`, `>` or a `;` or `&` before another pair. */
export const PASSWORD_VALUE = String.raw`(?!\[REDACTED)(?:\\{0,7}(?:'[^'\n]{1,200}'|"[^"\n]{1,200}")|(?:${valueChar('<>&;')}|${PAIR_SEPARATOR_IN_VALUE}){4,})`;
/** What every match of {@link yamlLine}`(key)` holds: the key, and a colon after its name. */
export const keyThenColon = (key: string): RegExp => new RegExp(String.raw`${key}[A-Za-z0-9_.-]{0,40}:`, 'i');

/**
 * A line that is a YAML mapping's `key: value` whose key is named like `key` (indented or a sequence's item), its plain
 * value running to the end of the line, spaces and all, up to a ` #` comment: a configuration file a build echoes
 * (`client_secret: Zx81+Qw7 Mn5Bv8`) holds one value where elsewhere a space ends it. Quoted values, flow
 * collections, block scalars, anchors and tags are left to the other rules; a shell's `KEY=value command` is not
 * YAML.
 */
export const yamlLine = (key: string): RegExp =>
  new RegExp(String.raw`^([^\S\n]*(?:-[^\S\n]+)?[A-Za-z0-9_.-]{0,40}${key}[A-Za-z0-9_.-]{0,40}:[^\S\n]+)(?![\["'{|>&*!#])\S+(?:[^\S\n]+[^\s#]\S*)*(?=[^\S\n]*(?:#|$))`, 'gim');
/** An XML element named like `key` and its text (`<password>…</password>`, a settings file echoed by a build). */
export const xmlElement = (key: string): RegExp => new RegExp(String.raw`(<([\w.:-]{0,40}${key}[\w.:-]{0,40})(?:[^\S\n][^>\n]{0,200})?>)[^<\n]+(?=</\2>)`, 'gi');

/** `htpasswd` as a command's first word, or as Docker's entrypoint before the image (`--entrypoint htpasswd httpd:2`). */
const HTPASSWD = String.raw`(?:--entrypoint(?:=|[^\S\n]+)htpasswd[^\S\n]+[^\s-]\S{0,200}|\bhtpasswd)`;
/** One of htpasswd's options, flags bundled: `-C` and `-r` (cost, rounds) end one with their number. */
const HTPASSWD_OPTION = String.raw`-[A-Za-z0-9]{0,7}(?:[Cr][^\S\n]+\d{1,6}|[A-BD-Za-qs-z0-9])`;
export const HTPASSWD_OPTIONS = String.raw`(?:[^\S\n]+${HTPASSWD_OPTION}){1,8}`;
/** Whether htpasswd's options, read from right after its name, hold the flag `letter` (bundled or alone). */
export const htpasswdFlag = (letter: string): string => String.raw`(?:[^\S\n]+${HTPASSWD_OPTION}){0,7}?[^\S\n]+-[A-Za-z0-9]{0,7}${letter}`;
/** htpasswd with `-b`: its password is on its command line. */
export const HTPASSWD_WITH_B = String.raw`${HTPASSWD}(?=${htpasswdFlag('b')})`;
/** A file or a user name: quoted, or a word that is not an option. */
export const HTPASSWD_ARGUMENT = String.raw`(?:'[^'\n]{0,200}'|"[^"\n]{0,200}"|[^\s'"-][^\s'"]{0,200})`;
export const HTPASSWD_GATE = /htpasswd[^\S\n]/;

/**
 * What a CI or a runner prints before each line of output, a line rule anchored at `^` reads past: a bracketed
 * timestamp (Jenkins' `[2024-01-02T03:04:05.678Z] `), GitHub Actions' bare ISO timestamp, a docker compose service's
 * `app-1  | `, a Turborepo task's `web:deploy: ` (see task-prefix.ts). Bounded, so a line start costs a constant.
 */
const LINE_PREFIX = String.raw`(?:(?:\[[^\]\n]{1,64}\]|\d{4}-\d\d-\d\dT[\d:.]{1,20}Z?|[\w.-]{1,64}[^\S\n]{0,8}\||(?:@[\w.-]{1,64}\/)?[\w.-]{1,64}:[a-z][\w:-]{0,64}:)[^\S\n]{1,8}){0,2}`;

/**
 * A line that is an INI or .env file's `pass = value` (attack-49 L): the key `pass` alone, with nothing before it but
 * a line's prefix ({@link LINE_PREFIX}), spaces, `=`, and one value (quoted, or a word) to the end of the line.
 * `pass` alone is no password key anywhere else: automake's `PASS: test` has a colon, code's `first_pass = …` a word
 * before the key, a test tally's `pass=3 fail=0` more after the value; a count, ratio or percentage is not
 * taken ({@link iniPassValue}).
 */
export const INI_PASS_LINE = new RegExp(String.raw`^(${LINE_PREFIX}[^\S\n]*pass[^\S\n]*=[^\S\n]*)(?:"[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"']+)(?=[^\S\n]*$)`, 'gim');

/**
 * A value after {@link INI_PASS_LINE}'s key: a password's, but not a number, ratio or percentage (a tally's), a test's
 * or a step's outcome (`pass=passed`, `pass=Success`) nor a statement's end (`pass = matched;`, code).
 */
export function iniPassValue(secret: string): boolean {
  return passwordValue(secret) && !/^["']?(?:[\d.,:%/+-]+|passed|failed|skipped|success(?:ful)?|succeeded|failure|ok)["']?$/i.test(secret) && !secret.endsWith(';');
}

/**
 * A bare `key` query parameter's value read as a credential: a part of it between `-` and `_` of 16 characters or
 * more that reads as generated ({@link mixedRandom}: digits and letters of both cases). A cache key's words and
 * digest (`node-cache-Linux-x64-npm-6f1e…`), a column name and a lower-case hex digest are not taken.
 */
export function opaqueKey(secret: string): boolean {
  return secret.split(/[-_]/).some((part) => part.length >= 16 && mixedRandom(part));
}
