/**
 * Secret redaction for every text that leaves the first stage that sees it (ingest, classify, the CLI): the
 * incident table, the Step Functions input, the LLM prompt, PR comments, e-mails and logs.
 *
 * Two layers:
 * - **Formats**: tokens with a recognisable shape (fixed prefix, fixed length, checksum-like tail). These are
 *   redacted wherever they appear, whatever surrounds them.
 * - **Generic rules**: a value after a secret-sounding key (`password=`, `api_key:`), a CLI flag (`--password x`,
 *   `mysql -pX`, `curl -u user:pass`, `sshpass -p x`) or an `Authorization:`-style header. The value must look
 *   like a secret ({@link looksLikeSecretValue}: not a placeholder or variable, enough entropy for its length),
 *   which keeps compiler output such as `Unexpected token: punc` intact.
 *
 * ANSI codes and invisible characters are stripped first: a coloured log can split a token with escape codes
 * (`ghp_ab\x1b[0mcd…`) or zero-width spaces, which would otherwise slip past every pattern. Patterns are
 * anchored on fixed prefixes or bounded character classes so they run in linear time on hostile input.
 */
// The namespace as well: a named import of zstdDecompressSync would fail to link on a Node without it (before 22.15).
import * as nodeZlib from 'node:zlib';
import { constants as zlib, inflateRawSync } from 'node:zlib';
import { RedactionError } from '../errors.js';
import { stripHidden } from '../invisible.js';
import { MAX_LINE_CHARS, stripAnsi } from './reader.js';
import { taskPrefixLength } from './task-prefix.js';
import { marksToken, tokenStart } from './token-start.js';

/** One redaction pattern. */
export interface SecretPattern {
  readonly id: string;
  readonly re: RegExp;
  /** Leading capture groups kept verbatim (the key name, a prefix such as `Authorization: Bearer `). */
  readonly keep?: number;
  /** Called with the would-be secret (the match without its kept prefix); false leaves the match alone. */
  readonly accept?: (secret: string) => boolean;
  /** `format`: a token shape; `generic`: a value recognised by the key, flag or header in front of it. */
  readonly kind?: 'format' | 'generic';
  /**
   * The match (after its kept prefix) is a list of `name=value` pairs (a `Cookie:` header): each value this finds
   * (groups: the name with its `=`, the value) is judged by `accept` and replaced alone, the names kept.
   */
  readonly each?: RegExp;
  /**
   * Text this finds nothing in is skipped: for a pattern without a literal prefix, which V8 would try at every
   * position of every log, when what every match holds is rare (`@tcp(`).
   */
  readonly gate?: RegExp;
}


/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Values that stand for a secret rather than being one: masks CI systems print (`***`, `[secure]`), variable
 * references (`$DB_PASS`, `${{ secrets.X }}`, `%PASS%`), template markers (`<password>`), and words such as
 * `null`, `required` or `stdin`.
 */
const PLACEHOLDER =
  /^(?:\*+|x{3,}|\.{3,}|#+|-+|\[(?:secure|masked|hidden|filtered|redacted)[^\]]*\]?|\$\{?\{?\s*[A-Za-z_][\w.]*\s*\}?\}?|%[A-Za-z_]\w*%|<[^>]*>|\{\{[^}]*\}\}|(?:null|none|nil|undefined|true|false|yes|no|empty|required|optional|string|value|secret|password|token|stdin|changeme|example|default|env|file|prompt)\b.*)$/i;

/**
 * One template expression: Jinja, Ansible, Helm and Go templates' `{{ … }}` and `{% … %}`, GitHub's `${{ … }}`, ERB's
 * `<%= … %>`, Azure Pipelines' and Make's `$(NAME)`, and shell parameter expansion `${NAME}` or `${NAME:-default}`
 * (group 1: the default).
 */
const TEMPLATE_EXPRESSION = String.raw`\$\([A-Za-z_][\w.]{0,63}\)|\$?\{\{[^{}\n]{0,200}\}\}|\{%[^%\n]{0,200}%\}|<%=?[^%\n]{0,200}%>|\$\{[A-Za-z_]\w{0,63}(?::?[-=?+]([^{}\n]{0,200}))?\}`;
const TEMPLATE_ONLY = new RegExp(String.raw`^(?:\s*(?:${TEMPLATE_EXPRESSION}))+\s*$`);
const TEMPLATE_EXPRESSIONS = new RegExp(TEMPLATE_EXPRESSION, 'g');
/** A string literal inside a template expression (`lookup('env', 'X')`, `default('…')`). */
const TEMPLATE_LITERAL = /'([^'\n]*)'|"([^"\n]*)"/g;
/** A literal that names something (`env`, `DB_PASS`, `postgres_default`) rather than being a secret. */
const NAME_LITERAL = /^(?:[a-z_][a-z_.-]*|[A-Z_][A-Z0-9_]*)?$/;

/**
 * Whether `value` is made only of template expressions ({@link TEMPLATE_EXPRESSION}): it says where a secret comes
 * from, and holds none unless a literal or shell default inside it is one (`default('Wq7#pLz2')`, `${PW:-hunter22}`).
 */
function isTemplateOnly(value: string): boolean {
  if (!TEMPLATE_ONLY.test(value)) return false;
  for (const expression of value.matchAll(TEMPLATE_EXPRESSIONS)) {
    const literals = [...expression[0].matchAll(TEMPLATE_LITERAL)].map((literal) => literal[1] ?? literal[2] ?? '');
    if (expression[1] !== undefined) literals.push(expression[1].replace(/^["']|["']$/g, ''));
    if (literals.some((literal) => !NAME_LITERAL.test(literal) && looksLikeSecretValue(literal, { passwordKey: true }))) return false;
  }
  return true;
}

/**
 * Whether a value found after a secret-sounding key or flag looks like a real secret: not a placeholder, at
 * least `minLength` characters, and (for values that are not clearly random) enough entropy for its length.
 * A lowercase word ("expected", "punc") is English, not a credential, unless the key said "password".
 */
export function looksLikeSecretValue(raw: string, options: { minLength?: number; passwordKey?: boolean } = {}): boolean {
  // Before the closing brackets are trimmed: they end a template expression (`{{ db_pass }}`).
  if (isTemplateOnly(raw.replace(/^["'`]+|["'`,;]+$/g, ''))) return false;
  const value = raw.replace(/^["'`]+|["'`,;)\]}]+$/g, '');
  const minLength = options.minLength ?? (options.passwordKey ? 4 : 8);
  if (value.length < minLength) return false;
  if (PLACEHOLDER.test(value) || value.startsWith('[REDACTED')) return false;
  if (/^-/.test(value)) return false; // the next flag, not a value
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false; // the name of the variable that holds it
  if (/^\d{1,5}$/.test(value)) return false; // a port, a count, a timeout
  if (/^(?:https?|file):\/\//i.test(value) && !/:[^/@\s]+@/.test(value)) return false; // a URL without credentials
  if (/^[\w.-]+\.(?:txt|json|ya?ml|pem|key|crt|cfg|conf|ini|env|properties|xml|toml|js|ts|py)$/i.test(value)) return false; // a file name
  if (/^(?:\/|\.\.?\/)[\w./-]*$/.test(value)) return false; // a path
  if (/^[A-Za-z_$][\w$]*(?:[.:#][A-Za-z_$][\w$]*)+$/.test(value) && value.includes('.')) return false; // qualified names: `org.acme.TokenTest#run`
  if (/^\d{1,4}[:./-]\d{1,2}(?:[:./-]\d{1,4})*$/.test(value)) return false; // a time, date or version: `09:35:05.550`
  if (/^[\w./-]+\.[a-z]{1,5}:\d+(?::\d+)?$/.test(value)) return false; // a source position: `filter.go:59`
  // After a password key any other value is taken: short, wordy passwords are still passwords.
  if (options.passwordKey) return true;
  if (/^[a-z]+(?:[_-][a-z]+)*$/.test(value)) return false; // words and identifiers: `expected`, `not-set`, `my_func`
  if (/^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(value)) return false; // CamelCase identifiers: `TokenKind`
  if (/[()]/.test(value) || /;$/.test(value)) return false; // code: `frames.nextToken()`
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  const entropy = shannonEntropy(value);
  // Random tokens of n characters approach log2(n) bits per character; identifiers and sentences stay far below.
  const needed = Math.min(3.5, Math.log2(value.length) * 0.8);
  return entropy >= needed && classes >= 2;
}

const secretValue = (secret: string): boolean => looksLikeSecretValue(secret);
const passwordValue = (secret: string): boolean => looksLikeSecretValue(secret, { passwordKey: true });
const highEntropy = (min: number) => (secret: string): boolean => shannonEntropy(secret) >= min;

/**
 * Generated, not written: digits and letters of both cases, and the entropy of random text of that length
 * (paths and names reach neither: `trunk/src/main/java`, `MyOrganization/my-repository`).
 */
function mixedRandom(secret: string): boolean {
  return /\d/.test(secret) && /[A-Z]/.test(secret) && /[a-z]/.test(secret) && shannonEntropy(secret) >= Math.min(3.5, Math.log2(secret.length) * 0.8);
}

/** Fewest bytes of spaced hex after a key taken for a key: an AES-128 key's 16 (a 4-byte id or a short count is not). */
const SPACED_HEX_MIN_BYTES = 16;

/**
 * Whether `value` (hex digit groups separated by single spaces or tabs) is the bytes of a key as a dump prints them:
 * {@link SPACED_HEX_MIN_BYTES} or more, digits of one case, every group as wide as the first but the last, no wider.
 */
function isSpacedHexKey(value: string): boolean {
  if (/[a-f]/.test(value) && /[A-F]/.test(value)) return false;
  const groups = value.split(/[^\S\n]/);
  const width = (groups[0] as string).length;
  if (groups.some((group, i) => (i < groups.length - 1 ? group.length !== width : group.length > width))) return false;
  return groups.join('').length >= 2 * SPACED_HEX_MIN_BYTES;
}

/** Base64 line of a PEM/OpenSSH body: 40–100 base64 characters, mixed case and digits, nothing else. */
const PEM_BODY_LINE = /^\s*[A-Za-z0-9+/]{40,100}={0,2}\s*$/;

function isPemBodyLine(line: string): boolean {
  return PEM_BODY_LINE.test(line) && /[a-z]/.test(line) && /[A-Z]/.test(line) && /\d/.test(line) && shannonEntropy(line.trim()) >= 4.5;
}

/**
 * Key names that say a password follows, and those that say another secret does (`api_key`, `client_secret`). A
 * password key is also spelled as real configurations spell it: with a zero for the o or fives for the s
 * (`passw0rd`, Spring's `pa55word`; an identifier can hold digits, not `@` or `$`) and with a `-` or `_` between its
 * words (`pass-word`, Spring's relaxed binding). An OAuth client secret is read as a password: it is a credential
 * whatever it looks like, words joined by `+` in a form body too (`client_secret=correct+horse+battery`).
 */
const PASSWORD_KEY = '(?:pa(?:ss|55)[-_]?w[o0]rd|passwd|pwd|passphrase|client[_-]?secret)';
/**
 * A password key's short spellings, where they end the key (matched with case): an environment variable's `_PASS` or
 * `_PW` (`DB_PASS`, `RABBITMQ_DEFAULT_PASS`, `VNC_PW`), and in lower case after a word naming what logs in
 * (`smtp_pass`, `mail.pass`, `db_pw`). Not `pass` alone or after any word: automake's `PASS: test`, code's
 * `first_pass = …` and `ruff_pass: bool` are no passwords (an INI line whose key is `pass` alone is: see
 * {@link INI_PASS_LINE}).
 */
const SHORT_PASSWORD_KEY = String.raw`(?:[A-Z][A-Z0-9_]{0,60}_(?:PASS|PW)|(?:[\w.-]{0,40}[_.-])?(?:db|database|smtp|mail|email|redis|mysql|mariadb|postgres|pg|mongo|ftp|sftp|proxy|ldap|vnc|amqp|rabbitmq|admin|root|user|login|auth)[_.-](?:pass|pw))(?![A-Za-z0-9])`;
/**
 * Key names that say another secret follows. SonarScanner's `sonar.login` is its token (the name before `sonar.token`)
 * or a user's login when `sonar.password` follows: a secret key's value must look generated, which a login does not.
 */
const SECRET_KEY = String.raw`(?:secret|token|api[_-]?key|apikey|access[_-]?key|subscription[_-]?key|functions?[_-]?key|private[_-]?key|credentials?|auth[_-]?key|signing[_-]?key|encryption[_-]?key|client[_-]?key|session[_-]?key|master[_-]?key|webhook[_-]?url|sonar[._-]?login)`;
/**
 * What joins a key to its value: `:`, `=` or Ruby's and PHP's `=>` (a Rails `Parameters:` line, print_r's
 * `[password] => …`), after a quote or PHP's `]`; quotes may be escaped, at any level up to three
 * (`{\"password\":\"…\"}`, JSON logged inside a JSON string; `\\\"` a level deeper).
 */
const KEY_END = String.raw`(?:\\{0,7}["']|\])?`;
const KEY_SEPARATOR = String.raw`[^\S\n]{0,4}(?:=>|[:=])[^\S\n]{0,4}\\{0,7}["']?`;
/** A value's character, up to an escaped quote that ends it (`…\"}`), for values in `"…"` or bare. */
const valueChar = (excluded: string): string => String.raw`(?:[^\s"'\`${excluded}\\]|\\(?!["']))`;
/**
 * A flag's value: quoted (escaped quotes too, at any level), or bare up to whitespace or a quote however long it is,
 * so a long password is not cut with its end left in the text (a bare run is read once: linear). A quoted value is
 * found by its first 200 characters, closed or not: the generic rules read it to its closing quote
 * ({@link quotedValue}, up to {@link MAX_QUOTED_VALUE} characters), and one left open on its line is taken as far
 * as it was read (it used to be left whole).
 */
const FLAG_VALUE = String.raw`(?:\\{0,7}(?:'[^'\n]{1,200}'?|"[^"\n]{1,200}"?)|[^\s'"]+)`;
/** A flag that makes a command read a secret from its standard input (a registry login, the GitHub CLI's login). */
const STDIN_SECRET_FLAG = String.raw`(?:--password-stdin|--with-token|--token-stdin|--password-from-stdin)\b`;
/** What every match of the stdin rules holds, looked for once before their `echo` or flag is tried. */
const STDIN_SECRET_GATE = /--(?:password-stdin|with-token|token-stdin|password-from-stdin)/;
/** The name of a pair in a connection string, a form body or a query (`Database`, `User Id`, `remember`). */
const PAIR_NAME = String.raw`[\w .[\]-]{1,40}`;
/**
 * A `;` or `&` inside a password: one before another pair (`;Database=`, `&username=`), whitespace or the end of the
 * line separates pairs or commands instead (a form-encoded password's own `&` is `%26`).
 */
const PAIR_SEPARATOR_IN_VALUE = String.raw`[;&](?![^\S\n]*${PAIR_NAME}=|\s|$)`;
/** A password's value after its key: quoted, or bare up to whitespace, `<`, `>` or a `;` or `&` before another pair. */
const PASSWORD_VALUE = String.raw`(?!\[REDACTED)(?:\\{0,7}(?:'[^'\n]{1,200}'|"[^"\n]{1,200}")|(?:${valueChar('<>&;')}|${PAIR_SEPARATOR_IN_VALUE}){4,})`;
/** What every match of {@link yamlLine}`(key)` holds: the key, and a colon after its name. */
const keyThenColon = (key: string): RegExp => new RegExp(String.raw`${key}[A-Za-z0-9_.-]{0,40}:`, 'i');

/**
 * A line that is a YAML mapping's `key: value` whose key is named like `key` (indented or a sequence's item), its plain
 * value running to the end of the line, spaces and all, up to a ` #` comment: a configuration file a build echoes
 * (`client_secret: Zx81+Qw7 Mn5Bv8`) holds one value where elsewhere a space ends it. Quoted values, flow
 * collections, block scalars, anchors and tags are left to the other rules; a shell's `KEY=value command` is not
 * YAML.
 */
const yamlLine = (key: string): RegExp =>
  new RegExp(String.raw`^([^\S\n]*(?:-[^\S\n]+)?[A-Za-z0-9_.-]{0,40}${key}[A-Za-z0-9_.-]{0,40}:[^\S\n]+)(?![\["'{|>&*!#])\S+(?:[^\S\n]+[^\s#]\S*)*(?=[^\S\n]*(?:#|$))`, 'gim');
/** An XML element named like `key` and its text (`<password>…</password>`, a settings file echoed by a build). */
const xmlElement = (key: string): RegExp => new RegExp(String.raw`(<([\w.:-]{0,40}${key}[\w.:-]{0,40})(?:[^\S\n][^>\n]{0,200})?>)[^<\n]+(?=</\2>)`, 'gi');

/** `htpasswd` as a command's first word, or as Docker's entrypoint before the image (`--entrypoint htpasswd httpd:2`). */
const HTPASSWD = String.raw`(?:--entrypoint(?:=|[^\S\n]+)htpasswd[^\S\n]+[^\s-]\S{0,200}|\bhtpasswd)`;
/** One of htpasswd's options, flags bundled: `-C` and `-r` (cost, rounds) end one with their number. */
const HTPASSWD_OPTION = String.raw`-[A-Za-z0-9]{0,7}(?:[Cr][^\S\n]+\d{1,6}|[A-BD-Za-qs-z0-9])`;
const HTPASSWD_OPTIONS = String.raw`(?:[^\S\n]+${HTPASSWD_OPTION}){1,8}`;
/** Whether htpasswd's options, read from right after its name, hold the flag `letter` (bundled or alone). */
const htpasswdFlag = (letter: string): string => String.raw`(?:[^\S\n]+${HTPASSWD_OPTION}){0,7}?[^\S\n]+-[A-Za-z0-9]{0,7}${letter}`;
/** htpasswd with `-b`: its password is on its command line. */
const HTPASSWD_WITH_B = String.raw`${HTPASSWD}(?=${htpasswdFlag('b')})`;
/** A file or a user name: quoted, or a word that is not an option. */
const HTPASSWD_ARGUMENT = String.raw`(?:'[^'\n]{0,200}'|"[^"\n]{0,200}"|[^\s'"-][^\s'"]{0,200})`;
const HTPASSWD_GATE = /htpasswd[^\S\n]/;

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
const INI_PASS_LINE = new RegExp(String.raw`^(${LINE_PREFIX}[^\S\n]*pass[^\S\n]*=[^\S\n]*)(?:"[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"']+)(?=[^\S\n]*$)`, 'gim');

/**
 * A value after {@link INI_PASS_LINE}'s key: a password's, but not a number, ratio or percentage (a tally's), a test's
 * or a step's outcome (`pass=passed`, `pass=Success`) nor a statement's end (`pass = matched;`, code).
 */
function iniPassValue(secret: string): boolean {
  return passwordValue(secret) && !/^["']?(?:[\d.,:%/+-]+|passed|failed|skipped|success(?:ful)?|succeeded|failure|ok)["']?$/i.test(secret) && !secret.endsWith(';');
}

/**
 * A bare `key` query parameter's value read as a credential: a part of it between `-` and `_` of 16 characters or
 * more that reads as generated ({@link mixedRandom}: digits and letters of both cases). A cache key's words and
 * digest (`node-cache-Linux-x64-npm-6f1e…`), a column name and a lower-case hex digest are not taken.
 */
function opaqueKey(secret: string): boolean {
  return secret.split(/[-_]/).some((part) => part.length >= 16 && mixedRandom(part));
}

/** The secret formats, most specific first (a GitHub token inside `token=` is labelled as GitHub). */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  // Private keys: the whole block, and (when the BEGIN line is elsewhere, e.g. a context excerpt) body lines.
  { id: 'private-key', re: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g },
  { id: 'putty-private-key', re: /(PuTTY-User-Key-File-\d:[^\n]*\n(?:[^\n]*\n){0,4}?Private-Lines:[^\S\n]*\d+\n)(?:[A-Za-z0-9+/=]+\n?){1,40}/g, keep: 1 },
  // A `.netrc` entry, on one line or, as netrc(5) prints it, a token a line (`machine h` / `login u` / `password p`):
  // read across line breaks, so it runs with the key blocks on each text alone (attack-49 E).
  { id: 'netrc-password', re: /(\bmachine\s+\S+(?:\s+(?:login|account|port)\s+\S+){0,3}\s+password[^\S\n]+)\S+/gi, keep: 1 },
  // A line that is netrc's `password <value>` alone, in its lower case: an excerpt's window can start below the
  // entry's `machine` line.
  { id: 'netrc-password', re: /^([^\S\n]*password[^\S\n]+)[^\s'"]+(?=[^\S\n]*$)/gm, keep: 1, accept: passwordValue },
  { id: 'private-key', re: /^[^\S\n]*[A-Za-z0-9+/]{40,100}={0,2}[^\S\n]*$/gm, accept: isPemBodyLine },
  { id: 'private-key', re: /-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g },
  { id: 'age-secret-key', re: /\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\b/g },
  // Source control and CI.
  { id: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g },
  { id: 'github-pat', re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { id: 'gitlab-token', re: /\bgl(?:pat|rt|dt|ptt|cbt|imt|oas|soat|ft|ffct|agent|wt)-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'gitlab-runner-registration', re: /\bGR1348941[A-Za-z0-9_-]{20,}\b/g },
  { id: 'bitbucket-app-password', re: /\bATBB[A-Za-z0-9_=.-]{28,}\b/g },
  { id: 'atlassian-token', re: /\bAT(?:ATT|CTT)[A-Za-z0-9_=.-]{20,}/g },
  { id: 'buildkite-token', re: /\bbkua_[a-f0-9]{40}\b/g },
  { id: 'circleci-token', re: /\bCCIPAT_[A-Za-z0-9]{20,}_[a-f0-9]{40}\b/g },
  { id: 'sonar-token', re: /\bsq[pau]_[a-f0-9]{40}\b/g },
  { id: 'linear-key', re: /\blin_(?:api|oauth)_[A-Za-z0-9]{40}\b/g },
  // Clouds.
  { id: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g },
  {
    id: 'aws-secret-access-key',
    // `KEY=value`, `key: value`, `aws configure set aws_secret_access_key value`, and a `--output table` row's
    // `| SecretAccessKey |  value |`.
    re: /\b((?:aws_?)?secret_?access_?key(?:_id)?["']?(?:[^\S\n]*[:=|][^\S\n]*|[^\S\n]+)["']?)[A-Za-z0-9/+=]{40}\b/gi,
    keep: 1,
  },
  { id: 'aws-session-token', re: /\b(aws_?session_?token["']?[^\S\n]*[:=][^\S\n]*["']?)[A-Za-z0-9/+=]{16,}/gi, keep: 1 },
  // An STS session token by its own start, wherever it stands (`--output text`'s columns, a table's cell): base64 of
  // the token's fixed header, `!\n\torigin_ec` today, `\x17\n\x06er/aws` and `\x01\n\x03aws` before (attack-49 A).
  { id: 'aws-session-token', re: /\b(?:IQoJb3JpZ2luX2Vj|F[wQ]oGZXIvYXdzE|AQoDYXdzE)[A-Za-z0-9/+]{60,}={0,2}/g },
  // A secret access key with no name in front of it, a column or two after its key id on the same line:
  // `aws iam create-access-key --output text` (`ACCESSKEY  AKIA…  date  secret  Active`), `aws sts … --output text`
  // (`CREDENTIALS  ASIA…  expiry  secret  token`), the console's credentials CSV (`AKIA…,secret`). The key id may be
  // redacted already (the patterns run in turn). Bounded: two fields of 40 characters between them at most.
  {
    id: 'aws-secret-access-key',
    re: /((?:\b(?:AKIA|ASIA)[A-Z0-9]{16}|\[REDACTED:aws-access-key-id\])(?:(?:[^\S\n]*[,|;][^\S\n]*|[^\S\n]+)[^\s,|;]{1,40}){0,2}(?:[^\S\n]*[,|;][^\S\n]*|[^\S\n]+))[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    keep: 1,
    accept: mixedRandom,
  },
  { id: 'aws-bedrock-key', re: /\bABSK[A-Za-z0-9+/]{100,}={0,2}/g },
  { id: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { id: 'google-oauth-secret', re: /\bGOCSPX-[A-Za-z0-9_-]{20,}/g },
  { id: 'google-oauth-token', re: /\bya29\.[0-9A-Za-z_-]{20,}/g },
  { id: 'google-refresh-token', re: /\b1\/\/0[A-Za-z0-9_-]{40,}/g },
  { id: 'firebase-fcm-key', re: /\bAAAA[A-Za-z0-9_-]{7}:[A-Za-z0-9_-]{140}/g },
  { id: 'aws-presigned-signature', re: /([?&]X-Amz-(?:Signature|Security-Token)=)[A-Za-z0-9%/+=]{16,}/g, keep: 1 },
  { id: 'azure-storage-key', re: /\b(AccountKey=)[A-Za-z0-9+/=]{20,}/gi, keep: 1 },
  { id: 'azure-sas-signature', re: /([?&]sig=)[A-Za-z0-9%+/=]{16,}/gi, keep: 1 },
  { id: 'azure-connection-secret', re: /\b(SharedAccessKey=)[A-Za-z0-9+/=]{16,}/gi, keep: 1 },
  { id: 'azure-client-secret', re: /\b[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}\b/g },
  { id: 'alibaba-access-key-id', re: /\bLTAI[A-Za-z0-9]{12,20}\b/g },
  { id: 'tencent-secret-id', re: /\bAKID[A-Za-z0-9]{32}\b/g },
  { id: 'digitalocean-token', re: /\bdo[opr]_v1_[a-f0-9]{64}\b/g },
  { id: 'heroku-key', re: /\bHRKU-[A-Za-z0-9_-]{20,}/g },
  { id: 'flyio-token', re: /\b(?:fo1|fm[12][ar]?)_[A-Za-z0-9_+/=-]{40,}/g },
  { id: 'netlify-token', re: /\bnfp_[A-Za-z0-9]{36}\b/g },
  { id: 'supabase-key', re: /\b(?:sbp|sb_secret)_[A-Za-z0-9_-]{32,}\b/g },
  { id: 'cloudflare-origin-ca-key', re: /\bv1\.0-[a-f0-9]{24}-[a-f0-9]{146}\b/g },
  { id: 'terraform-cloud-token', re: /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,}/g },
  { id: 'pulumi-token', re: /\bpul-[a-f0-9]{40}\b/g },
  { id: 'doppler-token', re: /\bdp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}\b/g },
  { id: 'planetscale-token', re: /\bpscale_(?:tkn|oauth|pw)_[A-Za-z0-9_.-]{32,64}\b/g },
  { id: 'vault-token', re: /\bhv[sbr]\.[A-Za-z0-9_-]{24,}/g },
  { id: 'databricks-token', re: /\bdapi[0-9a-f]{32}(?:-\d)?\b/g },
  { id: 'dynatrace-token', re: /\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b/g },
  { id: 'newrelic-key', re: /\bNR(?:AK|JS|II)-[A-Za-z0-9]{19,32}\b/g },
  { id: 'sentry-token', re: /\bsntry[su]_[A-Za-z0-9+/=_]{40,}/g },
  { id: 'sentry-dsn', re: /(https:\/\/)[a-f0-9]{32}(?=@[a-z0-9.-]*sentry\.io)/g, keep: 1 },
  { id: 'grafana-token', re: /\b(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,2})/g },
  { id: 'onepassword-service-token', re: /\bops_eyJ[A-Za-z0-9+/=_-]{100,}/g },
  { id: 'prefect-key', re: /\bpnu_[A-Za-z0-9]{36}\b/g },
  // Package registries and artifact stores.
  { id: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'npmrc-auth', re: /(:_(?:authToken|auth|password)[^\S\n]*=[^\S\n]*)\S+/g, keep: 1 },
  { id: 'pypi-token', re: /\bpypi-[A-Za-z0-9_-]{50,}/g },
  { id: 'rubygems-key', re: /\brubygems_[a-f0-9]{48}\b/g },
  { id: 'nuget-key', re: /\boy2[a-z0-9]{43}\b/g },
  { id: 'docker-hub-token', re: /\bdckr_pat_[A-Za-z0-9_-]{20,}/g },
  { id: 'artifactory-key', re: /\bAKCp[A-Za-z0-9]{10,}\b/g },
  { id: 'artifactory-reference-token', re: /\bcmVmdGtuOjAxOj[A-Za-z0-9]{40,}/g },
  // AI providers.
  { id: 'anthropic-key', re: /\bsk-ant-(?:api\d\d-|admin\d\d-)?[A-Za-z0-9_-]{32,}/g },
  { id: 'openai-key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}/g },
  { id: 'huggingface-token', re: /\b(?:hf|api_org)_[A-Za-z0-9]{30,}\b/g },
  { id: 'groq-key', re: /\bgsk_[A-Za-z0-9]{40,}\b/g },
  { id: 'perplexity-key', re: /\bpplx-[A-Za-z0-9]{40,}\b/g },
  { id: 'xai-key', re: /\bxai-[A-Za-z0-9]{60,}\b/g },
  { id: 'replicate-token', re: /\br8_[A-Za-z0-9]{37}\b/g },
  { id: 'pinecone-key', re: /\bpcsk_[A-Za-z0-9_]{40,}/g },
  { id: 'langsmith-key', re: /\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b/g },
  // ElevenLabs and others issue `sk_` + hex (Stripe's `sk_live_`/`sk_test_` is matched below).
  { id: 'sk-hex-key', re: /\bsk_[a-f0-9]{32,}\b/g },
  // Chat and collaboration.
  { id: 'slack-token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g },
  { id: 'slack-app-token', re: /\bxapp-\d-[A-Z0-9]+-\d+-[a-f0-9]{32,}/g },
  { id: 'slack-webhook', re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/g },
  { id: 'discord-webhook', re: /https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/[A-Za-z0-9_-]{40,}/g },
  { id: 'discord-bot-token', re: /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}\b/g, accept: highEntropy(4) },
  { id: 'telegram-bot-token', re: /(?<![0-9])\d{8,10}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, accept: highEntropy(3.5) },
  { id: 'teams-webhook', re: /https:\/\/[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/_-]{40,}/g },
  { id: 'notion-token', re: /\b(?:secret_[A-Za-z0-9]{43}|ntn_\d{11}[A-Za-z0-9]{35})\b/g },
  { id: 'airtable-token', re: /\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b/g },
  { id: 'figma-token', re: /\bfigd_[A-Za-z0-9_-]{40}\b/g },
  { id: 'asana-token', re: /\b[012]\/\d{13,16}(?:\/\d{13,16})?:[A-Za-z0-9]{32}\b/g },
  { id: 'postman-key', re: /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/g },
  { id: 'contentful-token', re: /\bCFPAT-[A-Za-z0-9_-]{43}\b/g },
  { id: 'mapbox-token', re: /\bsk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,}/g },
  { id: 'dropbox-token', re: /\bsl\.[A-Za-z0-9_-]{130,}/g },
  // Payments and mail.
  { id: 'stripe-key', re: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { id: 'stripe-webhook-secret', re: /\bwhsec_[A-Za-z0-9]{24,}/g },
  { id: 'square-token', re: /\b(?:sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_-]{60})\b/g },
  { id: 'shopify-token', re: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g },
  { id: 'shippo-token', re: /\bshippo_(?:live|test)_[a-f0-9]{40}\b/g },
  { id: 'easypost-key', re: /\bEZ[AT]K[a-f0-9]{54}\b/g },
  { id: 'flutterwave-key', re: /\bFLWSECK(?:_TEST)?-[a-h0-9]{32}-X\b/g },
  { id: 'facebook-token', re: /\bEAA[A-Za-z0-9]{90,}/g },
  { id: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g },
  { id: 'brevo-key', re: /\bxkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b/g },
  { id: 'mailchimp-key', re: /\b[0-9a-f]{32}-us\d{1,2}\b/g },
  { id: 'twilio-key', re: /\bSK[0-9a-f]{32}\b/g },
  { id: 'mailgun-key', re: /\bkey-[0-9a-f]{32}\b/g },
  // Tokens that carry their own structure.
  // A PEM block in base64 (`-----BEGIN` encoded), as Kubernetes secrets and CI variables hold keys: `tls.key: LS0t…`.
  { id: 'base64-pem', re: /\bLS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2}/g },
  // `header.payload.signature`, each part base64url, the first two JSON (`eyJ` is `{"`). Each run is read once: the
  // pattern as written (/eyJ[…]{8,}\.eyJ…/) read to the end of the run from every `eyJ` in it that has no dot after
  // it, which made a field of `eyJ` repeated cost ~6 s (attack-47 I3). A run after an `eyJ` is taken whole, as an
  // atomic group would take it (`(?=(…))\1`); when the token's shape does not follow, the second branch takes that
  // run and `accept` leaves it alone: no later `eyJ` in it can start a token.
  { id: 'jwt', re: /eyJ(?:(?=([A-Za-z0-9_-]{8,}))\1\.eyJ(?=([A-Za-z0-9_-]{8,}))\2\.[A-Za-z0-9_-]{8,}|(?=([A-Za-z0-9_-]*))\3)/g, accept: (token) => token.includes('.') },
  // Credentials in URLs, configuration files and headers.
  // The password may hold `@`: it runs to the last `@` before the host.
  { id: 'url-password', re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{0,128}:)[^\s/]{3,256}?(?=@[^\s@/]+(?:[/:?#\s"'`]|$))/gim, keep: 1 },
  // A database URL printed with its password unencoded, spaces and all (`postgres://ci:my secret@db/app`): database
  // schemes only, two to four words, the first not a port (`postgres://db:5432 owned by dba@example.com`).
  {
    id: 'url-password',
    re: /\b((?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb|oracle|snowflake)(?:\+[a-z0-9]+)?:\/\/[^\s:@/]{1,128}:)(?!\d{1,5}[\s/])[^\s@/]+(?:[^\S\n][^\s@/]+){1,3}(?=@[\w.-]+(?::\d{1,5})?(?:[/?#\s"'`]|$))/gi,
    keep: 1,
  },
  // A base64 password holds `/`, and connection strings print it unencoded (`redis://:Qm9/yZWQ+Zm9v=@cache`). A
  // host's path and ref look alike (`git+ssh://github.com:acme/tool.git@v1.2.3`, `svn+ssh://h:trunk/src@1234`), so
  // this one needs 12 or more of base64's characters that read as generated (`mixedRandom`), no port in front,
  // no IPv6 host (`http://[::1]:8080/pkg@1.2.3`), and behind `@` a host with a dot or a port (an IPv4 address
  // too), or any host after a password holding base64's `+` or `=` (docker-compose names: `@cache`, `@db`); not a
  // version (`@1.2.3`) or a ref after a path (`…:AcmeCorp/Svc42Api@release-7`).
  {
    id: 'url-password-base64',
    re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/[\]]{0,128}:)(?!\d{1,5}\/)(?=[\w+=-]*\/)[\w+/=-]{12,256}?(?=@(?!v?\d+(?:\.\d+){0,2}(?:[/:?#\s"'`]|$))(?=[^\s@/:]*\.|[^\s@/:]+:\d|(?<=[+=][\w+/=-]*@))[^\s@/]+(?:[/:?#\s"'`]|$))/gim,
    keep: 1,
    accept: mixedRandom,
  },
  { id: 'url-token-user', re: /\b([a-z][a-z0-9+.-]{1,20}:\/\/)([A-Za-z0-9_-]{20,128})(?=@)/gi, keep: 1, accept: highEntropy(3.5) },
  { id: 'docker-config-auth', re: /("auth"[^\S\n]*:[^\S\n]*")[A-Za-z0-9+/]{12,}={0,2}(?=")/g, keep: 1 },
  { id: 'kubeconfig-secret', re: /(\b(?:client-key-data|token|id-token|refresh-token)[^\S\n]*:[^\S\n]*["']?)[A-Za-z0-9+/._-]{20,}={0,2}/g, keep: 1, accept: highEntropy(3.5) },
  { id: 'authorization-basic', re: /\b(Authorization:[^\S\n]*Basic[^\S\n]+)[A-Za-z0-9+/=]{8,}/gi, keep: 1 },
  { id: 'bearer-token', re: /\b((?:Authorization:[^\S\n]*)?(?:Bearer|token)[^\S\n]+)[A-Za-z0-9._~+/-]{16,}=*/gi, keep: 1 },
  // Go's MySQL driver prints its DSN in connection errors, `user:password@tcp(host:3306)/db`: no scheme in front.
  {
    id: 'dsn-password',
    kind: 'generic',
    // The password may hold spaces, but not one before a `word:` or `key=` (`dial error: Error 1045: …`, `ts=… dsn=`):
    // the DSN starts after the log's own fields.
    re: /(?<![\w.-])([\w.-]{1,64}:)(?:\S|[^\S\n](?![\w.-]*[:=])){1,256}?(?=@(?:tcp[46]?|udp|unix|unixgram)\()/g,
    keep: 1,
    accept: passwordValue,
    gate: /@(?:tcp|udp|unix)/,
  },
  // Session cookies, as `curl -v` prints them: a response's `Set-Cookie:` sets one (its attributes follow), a
  // request's `Cookie:` sends several.
  { id: 'cookie', kind: 'generic', re: /\b(set-cookie[^\S\n]*:[^\S\n]*[^\s=;]{1,256}=)[^\s;]{1,4096}/gi, keep: 1, accept: secretValue },
  {
    id: 'cookie',
    kind: 'generic',
    re: /(?<!set-)\b(cookie[^\S\n]*:[^\S\n]*)[^\s=;]{1,256}=[^\s;]*(?:;[^\S\n]*[^\s=;]{1,256}=[^\s;]*){0,100}/gi,
    keep: 1,
    each: /([^\s=;]+=)([^\s;]+)/g,
    accept: secretValue,
  },
  // ADO.NET, ODBC and JDBC connection strings: `;`-separated pairs whose values run to the next `;`, spaces and all.
  // The key follows a `;`, or the value is followed by `;` and another pair; a quoted value is the next rule's.
  {
    id: 'connection-string-password',
    kind: 'generic',
    re: new RegExp(String.raw`(;[^\S\n]*${PASSWORD_KEY}[^\S\n]*=[^\S\n]*)(?!["'{]|\[REDACTED)[^;\n]{1,200}?(?=[^\S\n]*(?:;|["']|$))`, 'gim'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'connection-string-password',
    kind: 'generic',
    re: new RegExp(String.raw`(\b${PASSWORD_KEY}[^\S\n]*=[^\S\n]*)(?!["'{]|\[REDACTED)[^;\n]{1,200}?(?=[^\S\n]*;[^\S\n]*${PAIR_NAME}=)`, 'gi'),
    keep: 1,
    accept: passwordValue,
  },
  // Generic rules: the key, flag or header says a secret follows; the value must look like one.
  // A YAML mapping's plain value runs to the end of its line, spaces and all: see yamlLine.
  // Each is tried only on text that holds its key and a colon after it, a scan with no backtracking: tried at every
  // line, the rule's run of key characters before the key cost a real 3.4 MB log 5 % more (bench:redaction).
  { id: 'key-value-secret', kind: 'generic', re: yamlLine(PASSWORD_KEY), keep: 1, accept: passwordValue, gate: keyThenColon(PASSWORD_KEY) },
  {
    id: 'key-value-secret',
    kind: 'generic',
    re: yamlLine(SECRET_KEY),
    keep: 1,
    accept: (value) => secretValue(value.split(/\s/, 1)[0] as string),
    gate: keyThenColon(SECRET_KEY),
  },
  // Bytes in hex with a space between groups (`od -An -tx1`, `xxd`'s two-byte groups, `od -tx4`): every other rule
  // stops a value at its first space. Before the password rule, which would take a first group of four digits alone.
  {
    id: 'key-value-secret',
    kind: 'generic',
    re: new RegExp(
      String.raw`\b([A-Za-z0-9_.-]{0,40}(?:${PASSWORD_KEY}|${SECRET_KEY})[A-Za-z0-9_.-]{0,40}${KEY_END}${KEY_SEPARATOR})(?:[0-9a-f]{2}){1,4}(?:[^\S\n](?:[0-9a-f]{2}){1,4}){3,}(?![0-9A-Za-z])`,
      'gi',
    ),
    keep: 1,
    accept: isSpacedHexKey,
    // Four groups of hex digits in a row, looked for once before the rule's key is tried at every word.
    gate: /[0-9a-f]{2}[^\S\n][0-9a-f]{2,8}[^\S\n][0-9a-f]{2,8}[^\S\n][0-9a-f]{2}/i,
  },
  {
    id: 'key-value-secret',
    kind: 'generic',
    re: new RegExp(String.raw`\b([A-Za-z0-9_.-]{0,40}${PASSWORD_KEY}[A-Za-z0-9_.-]{0,40}${KEY_END}(?:[^\S\n]+(?:is|was))?${KEY_SEPARATOR})${PASSWORD_VALUE}`, 'gi'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'key-value-secret',
    kind: 'generic',
    re: new RegExp(String.raw`\b(${SHORT_PASSWORD_KEY}${KEY_END}${KEY_SEPARATOR})${PASSWORD_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
    gate: /[_.-](?:PASS|PW|pass|pw)(?![A-Za-z0-9])/,
  },
  {
    id: 'key-value-secret',
    kind: 'generic',
    // A value in quotes that an escaped quote cuts short (`"ab\"…"`, `"\"…"`) is found by what comes before it, and read
    // to its real closing quote by quotedValue (review of session 32).
    re: new RegExp(String.raw`\b([A-Za-z0-9_.-]{0,40}${SECRET_KEY}[A-Za-z0-9_.-]{0,40}${KEY_END}${KEY_SEPARATOR})(?!\[REDACTED)(?:${valueChar('&,;<>')}{6,}|(?<=["'])${valueChar('&,;<>')}{0,5}(?=\\{1,7}["']))`, 'gi'),
    keep: 1,
    accept: secretValue,
  },
  { id: 'xml-secret', kind: 'generic', re: xmlElement(PASSWORD_KEY), keep: 1, accept: passwordValue },
  { id: 'xml-secret', kind: 'generic', re: xmlElement(SECRET_KEY), keep: 1, accept: secretValue },
  {
    id: 'authorization-header',
    kind: 'generic',
    re: /\b((?:Proxy-)?Authorization[^\S\n]*[:=][^\S\n]*["']?(?:[A-Za-z][\w-]{1,20}[^\S\n]+)?)[^\s"',;]{8,}/gi,
    keep: 1,
    accept: secretValue,
  },
  {
    id: 'sshpass-password',
    kind: 'generic',
    re: new RegExp(String.raw`(\bsshpass[^\S\n]+(?:-\w[^\S\n]+)*-p[^\S\n]*)${FLAG_VALUE}`, 'g'),
    keep: 1,
  },
  {
    id: 'cli-user-password',
    kind: 'generic',
    // `m`: the flag may start any line of the text (an excerpt is redacted as one text), not only its first.
    re: new RegExp(String.raw`((?:^|[^\S\n])(?:-u|--user|--proxy-user)[^\S\n]*["']?[\w.@-]{1,100}:)${FLAG_VALUE}`, 'gm'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'mysql-password',
    kind: 'generic',
    re: new RegExp(String.raw`(\b(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb|mariadb-dump)\b[^\n]{0,200}?[^\S\n]-p)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: (secret) => looksLikeSecretValue(secret, { passwordKey: true, minLength: 1 }),
  },
  {
    id: 'cli-password-flag',
    kind: 'generic',
    // `m` as for cli-user-password.
    re: new RegExp(String.raw`((?:^|[^\S\n])--?(?:password|passwd|pass|pwd|[a-z]+-password|passphrase|passin|passout|(?:src|dest|new)?(?:store|key)pass)(?:[^\S\n]+|=|[^\S\n]*:[^\S\n]*))${FLAG_VALUE}`, 'gim'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'cli-secret-flag',
    kind: 'generic',
    // `m` as for cli-user-password.
    re: new RegExp(String.raw`((?:^|[^\S\n])--?(?:token|auth-token|access-token|api-key|apikey|secret|client-secret|secret-key|access-key|[a-z]+-token)(?:[^\S\n]+|=|[^\S\n]*:[^\S\n]*))${FLAG_VALUE}`, 'gim'),
    keep: 1,
    accept: secretValue,
  },
  {
    id: 'registry-login-password',
    kind: 'generic',
    // `docker login -p value`: a password whatever it looks like (the flag says so).
    re: new RegExp(String.raw`(\b(?:docker|podman|buildah|skopeo|oras|nerdctl|helm registry)[^\S\n]+login\b[^\n]{0,120}?[^\S\n]-p[^\S\n]+)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
  },
  // A secret given to a login on its standard input, as `set -x` traces it: `echo X | docker login --password-stdin`,
  // `printf '%s' X | … --password-stdin`, `… --password-stdin <<< X`, `echo X | gh auth login --with-token`. The flag
  // after the pipe says what `echo` printed (attack-49 B). The look-ahead is bounded, and the gate skips text without
  // such a flag.
  {
    id: 'stdin-password',
    kind: 'generic',
    re: new RegExp(
      String.raw`(\b(?:echo(?:[^\S\n]+-[neE]{1,3})?|printf(?:[^\S\n]+(?:'%s[^'\n]{0,4}'|"%s[^"\n]{0,4}"|%s(?:\\n)?))?)[^\S\n]+)${FLAG_VALUE}(?=[^\S\n]*\|[^\n]{0,160}?${STDIN_SECRET_FLAG})`,
      'g',
    ),
    keep: 1,
    accept: passwordValue,
    gate: STDIN_SECRET_GATE,
  },
  {
    id: 'stdin-password',
    kind: 'generic',
    re: new RegExp(String.raw`(${STDIN_SECRET_FLAG}[^\n]{0,160}?<<<[^\S\n]*)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
    gate: STDIN_SECRET_GATE,
  },
  // A token as a command's positional value, not joined to its key by `=` or `:` (attack-49 C): `npm config set
  // //registry.npmjs.org/:_authToken <token>` (`_auth`, `_password` too) and `gh secret set NAME --body <value>`.
  {
    id: 'npmrc-auth',
    kind: 'generic',
    re: new RegExp(String.raw`(\bconfig[^\S\n]+set[^\S\n]+(?:[^\s=]{0,200}:)?_(?:authToken|auth|password)(?:[^\S\n]+|[^\S\n]*=[^\S\n]*))${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'gh-secret-value',
    kind: 'generic',
    re: new RegExp(String.raw`(\bgh[^\S\n]+secret[^\S\n]+set\b[^\n]{0,160}?[^\S\n](?:--body|-b)(?:[^\S\n]+|=))${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
  },
  // A password flag one tool spells its own way (attack-49 L): `az login -p`, macOS `security unlock-keychain -p` and
  // `import -P`, `ssh-keygen -N` (and `-P`, the old passphrase), the OpenLDAP clients' `-w`, `openssl enc -k`,
  // `smbclient -U user%password`, `rabbitmqctl add_user|change_password user password`. Each tool's flag after its
  // own name only: `-k`, `-N` and `-w` are other things to other commands.
  {
    id: 'cli-tool-password',
    kind: 'generic',
    re: new RegExp(
      String.raw`(\b(?:az[^\S\n]+login\b[^\n]{0,160}?[^\S\n]-p|security[^\S\n]+(?:unlock-keychain|create-keychain|import)\b[^\n]{0,160}?[^\S\n]-[pP]|ssh-keygen\b[^\n]{0,160}?[^\S\n]-[NP]|ldap[a-z]{0,10}\b[^\n]{0,160}?[^\S\n]-w|openssl\b[^\n]{0,160}?[^\S\n]-k|smbclient\b[^\n]{0,160}?[^\S\n](?:-U|--user)[^\S\n]*=?["']?[^\s%'"]{1,100}%|rabbitmqctl[^\S\n]+(?:add_user|change_password)[^\S\n]+\S{1,100})[^\S\n]*)${FLAG_VALUE}`,
      'g',
    ),
    keep: 1,
    accept: passwordValue,
    gate: /\b(?:az|security|ssh-keygen|ldap[a-z]{0,10}|openssl|smbclient|rabbitmqctl)[^\S\n]/,
  },
  // htpasswd's password is its last positional argument, on the command line only with `-b` (attack-49 L):
  // `htpasswd -b[c…] FILE USER PASSWORD`, `htpasswd -nb USER PASSWORD`, behind Docker's `--entrypoint htpasswd IMAGE`
  // too. Its flags may be bundled; `-C` and `-r` take a number.
  {
    id: 'cli-tool-password',
    kind: 'generic',
    re: new RegExp(String.raw`(${HTPASSWD_WITH_B}(?=${htpasswdFlag('n')})${HTPASSWD_OPTIONS}[^\S\n]+${HTPASSWD_ARGUMENT}[^\S\n]+)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
    gate: HTPASSWD_GATE,
  },
  {
    id: 'cli-tool-password',
    kind: 'generic',
    re: new RegExp(String.raw`(${HTPASSWD_WITH_B}(?!${htpasswdFlag('n')})${HTPASSWD_OPTIONS}(?:[^\S\n]+${HTPASSWD_ARGUMENT}){2}[^\S\n]+)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: passwordValue,
    gate: HTPASSWD_GATE,
  },
  // An INI or .env line whose key is `pass` alone (attack-49 L): see INI_PASS_LINE.
  { id: 'key-value-secret', kind: 'generic', re: INI_PASS_LINE, keep: 1, accept: iniPassValue, gate: /pass[^\S\n]*=/i },
  // An API key as a bare `key` query parameter (`?key=`, `&key=`, Google's and others' APIs; attack-49 H): cache, sort
  // and map keys are spelled so too, so only a value with a generated part is taken (opaqueKey). The `&` may be
  // HTML-escaped (a JUnit or HTML report) or JSON-escaped; a `.` ends the value when no word follows (a sentence's end).
  {
    id: 'url-query-key',
    kind: 'generic',
    re: /((?:[?&]|&amp;|\\u0026)key=)[A-Za-z0-9_-]{16,}(?![\w%~+/=:-]|\.\w)/gi,
    keep: 1,
    accept: opaqueKey,
  },
  // SQL that sets a password, echoed in a failed migration's or set-up script's error: MySQL's `IDENTIFIED BY '…'`
  // (`IDENTIFIED WITH plugin BY '…'`), PostgreSQL's `[WITH] [ENCRYPTED] PASSWORD '…'` after a role (attack-49 L).
  {
    id: 'sql-password',
    kind: 'generic',
    re: /(\b(?:IDENTIFIED[^\S\n]+(?:WITH[^\S\n]+\w{1,40}[^\S\n]+)?BY|(?:ROLE|USER)[^\S\n]+[^\s;]{1,100}[^\n;]{0,160}?[^\S\n](?:ENCRYPTED[^\S\n]+)?PASSWORD)[^\S\n]+')[^'\n]{1,200}(?=')/gi,
    keep: 1,
    accept: passwordValue,
    gate: /IDENTIFIED|PASSWORD[^\S\n]+'/i,
  },
  // .NET's `<add key="…Password" value="…"/>` (appSettings, NuGet.Config's `ClearTextPassword`): the key is an
  // attribute, so the XML element rule does not see it (attack-49 L).
  {
    id: 'xml-secret',
    kind: 'generic',
    re: new RegExp(String.raw`(\bkey[^\S\n]*=[^\S\n]*["'][\w.:-]{0,40}${PASSWORD_KEY}[\w.:-]{0,40}["'][^\S\n]+value[^\S\n]*=[^\S\n]*["'])[^"'\n]{1,200}(?=["'])`, 'gi'),
    keep: 1,
    accept: passwordValue,
  },
  {
    id: 'cli-short-password',
    kind: 'generic',
    // `-p<value>` glued to the flag (the MySQL convention) on other clients, or `-p value` after a login command.
    re: new RegExp(String.raw`(\b(?:docker|podman|helm|oras|twine|psql|mongo|mongosh|redis-cli|sqlcmd|ftp|lftp|smbclient)\b[^\n]{0,120}?[^\S\n](?:-p|-a)[^\S\n]+)${FLAG_VALUE}`, 'g'),
    keep: 1,
    accept: secretValue,
  },
];

/**
 * A token glued to the text after it still counts: `ghp_…_linux` (a cache key made from a token) or
 * `AKIA…_creds.txt`. A format's trailing `\b` becomes "no letter or digit after". (Its leading `\b` stays: a
 * lookbehind there would keep V8 from scanning ahead for the literal prefix, several times slower on big logs.)
 */
function gluedTokenPattern(pattern: SecretPattern): SecretPattern {
  if (pattern.kind === 'generic') return pattern;
  const source = pattern.re.source;
  if (!source.endsWith('\\b') || source.endsWith('\\\\b')) return pattern;
  return { ...pattern, re: new RegExp(`${source.slice(0, -2)}(?![A-Za-z0-9])`, pattern.re.flags) };
}

/**
 * A token glued to the text before it by a JSON or C escape (`"creds:\nAKIA…"`): a separator that is not a word
 * character is put after each such escape while the patterns run, so their leading `\b` holds, and taken out
 * afterwards. (Not after a URL-encoded `%XX`: URL-encoded signatures and tokens hold those, and their patterns read
 * them; a token behind one is caught by {@link URL_ENCODED_GLUE}.)
 */
const ESCAPE_BEFORE_WORD = /(\\[ntr])(?=[A-Za-z0-9])/g;

const SEPARATOR = '\uE000';
const SEPARATORS = /\uE000/g;

const PATTERNS_IN_USE: readonly SecretPattern[] = SECRET_PATTERNS.map(gluedTokenPattern);

/**
 * The most common token formats right after a URL-encoded character (`?k%3DAKIA…`, `token%3Dghp_…`), where their
 * leading `\b` cannot hold: the same patterns without it, so V8 still scans for the literal prefix; the `%XX`
 * before a match is checked on the match.
 */
const URL_ENCODED_GLUE: ReadonlyArray<{ id: string; re: RegExp }> = PATTERNS_IN_USE.filter((pattern) =>
  ['aws-access-key-id', 'github-token', 'github-pat', 'slack-token'].includes(pattern.id),
).map(({ id, re }) => ({ id, re: new RegExp(re.source.replace(/^\\b/, ''), re.flags) }));

function redactUrlEncodedGlue(text: string): string {
  if (text.indexOf('%') === -1) return text;
  let out = text;
  for (const { id, re } of URL_ENCODED_GLUE) {
    re.lastIndex = 0;
    out = out.replace(re, (match: string, offset: number, whole: string) =>
      offset >= 3 && whole.charCodeAt(offset - 3) === 37 /* % */ && /^[0-9A-Fa-f]{2}$/.test(whole.slice(offset - 2, offset)) ? `[REDACTED:${id}]` : match,
    );
  }
  return out;
}

/**
 * URL-encoded text: runs of URL-safe characters around `%XX` escapes, as a `next=` parameter or a form body holds a
 * URL or a JSON document (`https%3A%2F%2Fuser%3Apw%40host`, `%7B%22password%22%3A%22…`), whose credentials no
 * pattern reads while `:`, `@` and `"` are escaped. A run is found from an escape outwards: a pattern for the whole
 * run has no literal prefix to scan for and cost ~10 % of redacting a plain log.
 */
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;
const PERCENT_DECODE = /%([0-9A-Fa-f]{2})/g;
const URL_CHAR = /[\w.~!*'()+%-]/;

/**
 * `text` with every URL-encoded run that decodes to a secret replaced by `[REDACTED:url-encoded-secret]`: the runs
 * are decoded (as UTF-8) and redacted together one level down, as base64 runs are ({@link redactBase64}), so a run
 * encoded twice is decoded twice. A run shorter than the shortest secret a rule takes is left alone.
 */
function redactPercentEncoded(text: string, depth: number, allowance: InflateAllowance): string {
  if (text.indexOf('%') === -1) return text;
  const ranges: number[] = [];
  const decoded: string[] = [];
  /** For each decoded text, the index of its run: a run holding a `+` is read twice. */
  const runOf: number[] = [];
  PERCENT_ESCAPE.lastIndex = 0;
  for (let escape = PERCENT_ESCAPE.exec(text); escape !== null; escape = PERCENT_ESCAPE.exec(text)) {
    let start = escape.index;
    while (start > 0 && URL_CHAR.test(text.charAt(start - 1))) start -= 1;
    let end = escape.index + 3;
    while (end < text.length && URL_CHAR.test(text.charAt(end))) end += 1;
    PERCENT_ESCAPE.lastIndex = end;
    if (end - start < BASE64_MIN_STRING) continue;
    ranges.push(start, end);
    // The run is ASCII: its escapes become bytes one to one, then read as UTF-8.
    const run = text.slice(start, end);
    decoded.push(percentDecoded(run));
    runOf.push(ranges.length / 2 - 1);
    // Form encoding (a form body, a query) writes a space as `+`; elsewhere `+` is itself (base64 in a path).
    if (run.includes('+')) {
      decoded.push(percentDecoded(run.replace(/\+/g, '%20')));
      runOf.push(ranges.length / 2 - 1);
    }
  }
  if (decoded.length === 0) return text;
  const holding = holdSecrets(decoded, depth + 1, allowance);
  const secretRuns = new Set(runOf.filter((_, i) => holding[i]));
  return withRangesReplaced(text, ranges.filter((_, i) => secretRuns.has(i >> 1)), `${MARKER}url-encoded-secret]`);
}

const percentDecoded = (run: string): string => Buffer.from(run.replace(PERCENT_DECODE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

/** Number of distinct token formats recognised by shape (the generic rules come on top). */
export const SECRET_FORMAT_COUNT = new Set(SECRET_PATTERNS.filter((p) => p.kind !== 'generic').map((p) => p.id)).size;

function replacement(id: string, secret: string): string {
  // Keep line breaks so a redacted multi-line block still lines up with its line numbers.
  const newlines = secret.split('\n').length - 1;
  return `[REDACTED:${id}]${'\n'.repeat(newlines)}`;
}

/**
 * Base64 runs that may hide a secret: a Kubernetes `.dockerconfigjson: eyJ…`, `CREDS_B64=<base64 of user:ghp_…>`,
 * `echo "$TOKEN" | base64` to get past a CI system's masking. A run of {@link BASE64_MIN_CHARS} or more base64 or
 * base64url characters (one alphabet, both letter cases) is decoded, the text its bytes hold ({@link textInBytes}:
 * UTF-8 text, or the strings inside binary data, and UTF-16 text; and the same of what its compressed data inflates
 * to, {@link inflatedParts}) is redacted again, and the whole run is replaced when anything in it is a secret. Paths (`/usr/lib/x86_64-linux-gnu`) and identifiers fail the alphabet or case
 * check before decoding; random data holds no string long enough for a pattern to match.
 *
 * Bounded: a run is decoded whole, and the runs of a line up to {@link BASE64_MAX_CHARS_PER_LINE} characters in
 * all, twice the longest line the log reader keeps, so every line of a log is read to its end; a run past that
 * budget is withheld unread (`[REDACTED:base64-unread]`). Base64 inside decoded base64 (the `auth` field of a
 * docker config) is followed {@link BASE64_MAX_DEPTH} levels deep. A blob wrapped over several lines is read whole
 * as well ({@link WrappedBlock}). Each character is decoded at most twice per level (a wrapped line: with its blob,
 * and alone), and the texts decoded from one text are redacted together, in one pass of the patterns (see
 * {@link redactTexts}), so redaction stays linear and a run costs about what its characters cost in a plain log.
 * Not handled: a run glued to a prefix of word characters (`KEY_B64_eyJ…`), which shifts the decoding.
 */
const BASE64_MIN_CHARS = 24;
// The lookbehind starts each attempt at the beginning of a run: without it a short word is rescanned from each
// of its characters, which doubles the cost of the pass on ordinary logs.
const BASE64_RUN = new RegExp(`(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{${BASE64_MIN_CHARS},}={0,2}`, 'g');
export const BASE64_MAX_CHARS_PER_LINE = 2 * MAX_LINE_CHARS;
const BASE64_MAX_DEPTH = 2;
/** Share of decoded bytes that must be printable ASCII or whitespace for the run to be read whole, as UTF-8 text. */
const BASE64_MIN_PRINTABLE = 0.9;
/**
 * Shortest string read from decoded binary data (`strings` reads 4): random bytes hold few strings this long and
 * none a pattern matches, and the shortest secret a rule takes (`pwd=` and four characters) still fits.
 */
const BASE64_MIN_STRING = 8;
const MARKER = '[REDACTED:';
const SECRET_MARKER = `${MARKER}base64-secret]`;
const UNREAD_MARKER = `${MARKER}base64-unread]`;

/** How many redaction markers `text` holds: more after redaction than before means something was redacted. */
export function countMarkers(text: string): number {
  let count = 0;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) count += 1;
  return count;
}

/** The run without its padding when it can be base64 at all (the cheap checks), else null. */
function base64Body(run: string): string | null {
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return null; // not a whole number of bytes
  if (/[+/]/.test(body) && /[-_]/.test(body)) return null; // two alphabets: a path or a name, not base64
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body)) return null;
  return body;
}

const isPrintableByte = (byte: number): boolean => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * The text decoded base64 holds, for the patterns to read, one piece a line: all of it as UTF-8 when it is mostly
 * printable; otherwise its strings of printable ASCII, as `strings` finds them (a tar or zip archive, a binary
 * header or random bytes before a config file); and in either case its strings of UTF-16LE text, where every
 * other byte is a NUL (what Windows encodes: PowerShell's `-EncodedCommand`, `[Text.Encoding]::Unicode`). Empty
 * when it holds no string of {@link BASE64_MIN_STRING} characters.
 */
function textInBytes(bytes: Buffer): string {
  let printable = 0;
  let nul = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (isPrintableByte(byte)) printable += 1;
    else if (byte === 0) nul = true;
  }
  const pieces: string[] = [];
  if (printable >= bytes.length * BASE64_MIN_PRINTABLE) pieces.push(bytes.toString('utf8'));
  else if (printable >= BASE64_MIN_STRING) collectStrings(bytes, 1, 0, pieces);
  if (nul && printable >= BASE64_MIN_STRING) {
    // A UTF-16 string starts at an even or an odd byte, depending on what came before it.
    collectStrings(bytes, 2, 0, pieces);
    collectStrings(bytes, 2, 1, pieces);
  }
  return pieces.join('\n');
}

/**
 * Appends to `pieces` the strings of at least {@link BASE64_MIN_STRING} printable characters in `bytes` from
 * `from` on: a character is one printable byte (`width` 1) or a printable byte and a NUL (`width` 2, UTF-16LE).
 */
function collectStrings(bytes: Buffer, width: 1 | 2, from: number, pieces: string[]): void {
  const encoding = width === 1 ? 'latin1' : 'utf16le';
  let start = from;
  let at = from;
  for (; at + width <= bytes.length; at += width) {
    if (isPrintableByte(bytes[at] as number) && (width === 1 || bytes[at + 1] === 0)) continue;
    if (at - start >= BASE64_MIN_STRING * width) pieces.push(bytes.toString(encoding, start, at));
    start = at + width;
  }
  if (at - start >= BASE64_MIN_STRING * width) pieces.push(bytes.toString(encoding, start, at));
}

/**
 * How many bytes one redaction may inflate from compressed data, at every level of base64 together: a fixed part,
 * enough for a `.tar.gz` of a few small config files (`tar` pads an archive to 10 KB of mostly NULs), and a byte per
 * character of the redacted text. Deflate can expand a byte ~1,000-fold, so a bound per run or per line would let a
 * log of small compression bombs cost ~1,000 times its size; this keeps the cost of a redaction linear in its input,
 * and a short text's (a logged field, a single line) small. Data past the allowance (a bomb, a big archive) is
 * withheld unread.
 */
const INFLATE_FIXED_BYTES = 16 * 1024;
const INFLATE_BYTES_PER_CHAR = 1;
/**
 * Most compressed streams inflated from one decoded run: gzip members one after another, or zip entries. A run with
 * more is withheld unread, as data past the allowance is.
 */
const INFLATE_MAX_STREAMS = 64;

const GZIP_FLAG_HCRC = 0x02;
const GZIP_FLAG_EXTRA = 0x04;
const GZIP_FLAG_NAME = 0x08;
const GZIP_FLAG_COMMENT = 0x10;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 8]);
/** A gzip member's header and trailer: nothing shorter holds one. */
const GZIP_MIN_BYTES = 18;
const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');
/** A Zstandard frame's magic number (RFC 8878), little-endian 0xFD2FB528: `zstd -c | base64`, a `.tar.zst`. */
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** A Zstandard frame's magic number, header and an empty block: nothing shorter holds one. */
const ZSTD_MIN_BYTES = 9;
/**
 * What each Zstandard frame costs of the allowance before it is read: a call costs ~15 µs where a gzip member's costs
 * ~9, and a frame of a few bytes can hold as many blocks as it likes, each expanding to 128 KB.
 */
const ZSTD_FRAME_BYTES = 4 * 1024;
/** Zstandard in this Node (22.15 and later); an older one leaves zstd frames to be read as bytes. */
const zstdDecompress: typeof nodeZlib.zstdDecompressSync | undefined = typeof nodeZlib.zstdDecompressSync === 'function' ? nodeZlib.zstdDecompressSync : undefined;
const ZIP_DEFLATED = 8;
const ZIP_HEADER_BYTES = 30;

/** Where the deflate data of the gzip member whose magic bytes are at `at` starts (after its header), or -1. */
function gzipDataStart(bytes: Buffer, at: number): number {
  const flags = bytes[at + 3] ?? 0;
  let from = at + 10;
  if (flags & GZIP_FLAG_EXTRA) from += 2 + ((bytes[from] ?? 0) | ((bytes[from + 1] ?? 0) << 8));
  for (const flag of [GZIP_FLAG_NAME, GZIP_FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    const nul = bytes.indexOf(0, from);
    if (nul === -1) return -1;
    from = nul + 1;
  }
  if (flags & GZIP_FLAG_HCRC) from += 2;
  return from < bytes.length ? from : -1;
}

/** Whether `bytes` start with a zlib stream's header (deflate, no preset dictionary, its check bits right). */
function isZlibHeader(bytes: Buffer): boolean {
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg & 0x20) === 0 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Where each deflated entry's data starts in a zip archive (stored entries are read as bytes already): up to one more
 * than {@link INFLATE_MAX_STREAMS}, so the caller can tell that entries were left over.
 */
function zipDeflatedStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = bytes.indexOf(ZIP_LOCAL_HEADER); at !== -1 && at + ZIP_HEADER_BYTES <= bytes.length && starts.length <= INFLATE_MAX_STREAMS; at = bytes.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    if (bytes.readUInt16LE(at + 8) !== ZIP_DEFLATED) continue;
    const data = at + ZIP_HEADER_BYTES + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    if (data < bytes.length) starts.push(data);
  }
  return starts;
}

/** What is left of one redaction's allowance for inflating compressed data ({@link INFLATE_FIXED_BYTES}). */
interface InflateAllowance {
  left: number;
}

const allowanceFor = (texts: readonly string[]): InflateAllowance => ({
  left: INFLATE_FIXED_BYTES + INFLATE_BYTES_PER_CHAR * texts.reduce((sum, text) => sum + text.length, 0),
});

/** Raised inside {@link inflatedParts} when the data inflates to more than it may. */
class InflateLimitReached extends Error {}

/**
 * What the compressed data in decoded bytes inflates to, one buffer a stream: a gzip file (`gzip | base64`, a
 * `.tar.gz`; each member of concatenated ones), a zlib stream, the deflated entries of a zip archive, and Zstandard
 * frames. Deflate data cut short gives what it inflates to so far, as a truncated download would. What it inflates
 * is taken from `allowance`; null when the allowance runs out. One level: compressed data inside what is inflated is read as bytes only.
 */
function inflatedParts(bytes: Buffer, allowance: InflateAllowance): Buffer[] | null {
  const parts: Buffer[] = [];
  /**
   * What the stream at `start` decompresses to, taken from the allowance: the offset just past the stream, or -1 when
   * the bytes only looked like one (or, for Zstandard, a frame was cut short: it gives nothing).
   */
  const readFrom = (start: number, decompress: typeof inflateRawSync, options: { finishFlush?: number }): number => {
    if (allowance.left <= 0) throw new InflateLimitReached();
    try {
      const { buffer, engine } = decompress(bytes.subarray(start), { ...options, maxOutputLength: allowance.left, info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      parts.push(buffer);
      allowance.left -= buffer.length;
      return start + engine.bytesWritten;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitReached();
      return -1;
    }
  };
  const inflateFrom = (start: number): number => readFrom(start, inflateRawSync, { finishFlush: zlib.Z_SYNC_FLUSH });
  const zstdFrom = (start: number): number => {
    allowance.left -= ZSTD_FRAME_BYTES;
    try {
      const end = readFrom(start, zstdDecompress as typeof inflateRawSync, {});
      return end === -1 ? -1 : Math.max(end, start + ZSTD_MAGIC.length);
    } catch (error) {
      // Deflate expands a byte ~1,000-fold at most; a Zstandard frame of 70 bytes can fill any allowance, and each
      // frame after it would again cost as much as is left. The first one past the allowance spends it.
      if (error instanceof InflateLimitReached) allowance.left = 0;
      throw error;
    }
  };
  try {
    // Each gzip member wherever it starts (behind other bytes too): its deflate data, then its 8-byte trailer (CRC
    // and size), then maybe the next member.
    let members = 0;
    for (let at = bytes.indexOf(GZIP_MAGIC); at !== -1; members++) {
      // More members than are read: withheld unread, as past the allowance, rather than shown with a secret in them.
      if (members === INFLATE_MAX_STREAMS) throw new InflateLimitReached();
      const data = gzipDataStart(bytes, at);
      const end = data === -1 ? -1 : inflateFrom(data);
      at = bytes.indexOf(GZIP_MAGIC, end === -1 ? at + GZIP_MAGIC.length : end + 8);
    }
    if (members === 0 && isZlibHeader(bytes)) inflateFrom(2);
    // Each Zstandard frame wherever it starts, as gzip members are read.
    let frames = 0;
    for (let at = zstdDecompress ? bytes.indexOf(ZSTD_MAGIC) : -1; at !== -1; frames++) {
      if (frames === INFLATE_MAX_STREAMS) throw new InflateLimitReached();
      const end = zstdFrom(at);
      at = bytes.indexOf(ZSTD_MAGIC, end === -1 ? at + ZSTD_MAGIC.length : end);
    }
    const zipStarts = zipDeflatedStarts(bytes);
    if (zipStarts.length > INFLATE_MAX_STREAMS) throw new InflateLimitReached();
    for (const start of zipStarts) inflateFrom(start);
  } catch (error) {
    if (error instanceof InflateLimitReached) return null;
    throw error;
  }
  return parts;
}

/**
 * The text that decoded bytes hold ({@link textInBytes}), with the text of what their compressed data inflates to;
 * null when that would take more than is left of `allowance`.
 */
function decodedText(bytes: Buffer, allowance: InflateAllowance): string | null {
  const plain = textInBytes(bytes);
  if (!mayBeCompressed(bytes)) return plain;
  const inflated = inflatedParts(bytes, allowance);
  if (inflated === null) return null;
  return [plain, ...inflated.map(textInBytes)].filter((text) => text.length > 0).join('\n');
}

/**
 * The cheap test before {@link inflatedParts}: whether `bytes` start like zlib data, or hold a gzip member, a zip entry
 * or a Zstandard frame.
 */
function mayBeCompressed(bytes: Buffer): boolean {
  return (
    isZlibHeader(bytes) ||
    (bytes.length >= GZIP_MIN_BYTES && bytes.indexOf(GZIP_MAGIC) !== -1) ||
    (bytes.length >= ZSTD_MIN_BYTES && bytes.indexOf(ZSTD_MAGIC) !== -1) ||
    (bytes.length > ZIP_HEADER_BYTES && bytes.indexOf(ZIP_LOCAL_HEADER) !== -1)
  );
}

/** For each text, whether redaction one level down finds a secret in it: one pass over all of them. */
function holdSecrets(texts: readonly string[], depth: number, allowance: InflateAllowance): boolean[] {
  const redacted = redactTexts(texts, depth, undefined, allowance);
  return texts.map((text, i) => countMarkers(redacted[i] as string) > countMarkers(text));
}

/** A base64 run of a text: where it is, and the text it decodes to or why it is replaced unread. */
interface Base64Run {
  readonly start: number;
  readonly end: number;
  readonly decoded: string | null;
  /** What replaces it when it holds a secret: {@link SECRET_MARKER}, or {@link HEX_MARKER} for hex. */
  readonly marker: string;
}

/**
 * Hex of text, as `xxd -p`, `od -An -tx1` without spaces or a `0x…` literal print it (`echo $TOKEN | xxd -p` to get
 * past a CI system's masking): pairs of hex digits of one case, `0x` in front or not. The base64 run finder finds it
 * (hex digits are base64 characters) and the base64 check refuses it (one letter case), so it is read here, as text
 * ({@link textInBytes}): a digest's random bytes hold no string a pattern reads.
 */
const HEX_RUN = /^(?:0x)?((?:[0-9a-f]{2})+|(?:[0-9A-F]{2})+)$/;
const HEX_MARKER = `${MARKER}hex-secret]`;

/** The text the hex run `run` holds ({@link HEX_RUN}); null when it is not hex. */
function hexText(run: string): string | null {
  const hex = HEX_RUN.exec(run)?.[1];
  return hex === undefined ? null : textInBytes(Buffer.from(hex, 'hex'));
}

/** `text` with every base64 run that decodes to a secret replaced: runs are decoded first, then read together. */
function redactBase64(text: string, depth: number, allowance: InflateAllowance): string {
  const runs: Base64Run[] = [];
  let lineEnd = -1;
  let budget = 0;
  BASE64_RUN.lastIndex = 0;
  for (let match = BASE64_RUN.exec(text); match !== null; match = BASE64_RUN.exec(text)) {
    const start = match.index;
    if (start > lineEnd) {
      lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      budget = BASE64_MAX_CHARS_PER_LINE;
    }
    const end = start + match[0].length;
    // Hex (with `0x` in front, both letter cases pass the base64 check) costs no more to read than to find.
    const hex = hexText(match[0]);
    if (hex !== null) {
      if (hex) runs.push({ start, end, decoded: hex, marker: HEX_MARKER });
      continue;
    }
    // Only runs that can be base64 count against the budget: decoy words cannot use it up.
    const body = base64Body(match[0]);
    if (body === null) continue;
    if (body.length > budget) {
      runs.push({ start, end, decoded: null, marker: SECRET_MARKER });
      continue;
    }
    budget -= body.length;
    const decoded = decodedText(Buffer.from(body, 'base64'), allowance);
    if (decoded === null || decoded.length > 0) runs.push({ start, end, decoded, marker: SECRET_MARKER });
  }
  if (runs.length === 0) return text;
  const decodedRuns = runs.filter((run) => run.decoded !== null);
  const holding = holdSecrets(decodedRuns.map((run) => run.decoded as string), depth + 1, allowance);
  const secret = new Set(decodedRuns.filter((_, i) => holding[i]));
  const ranges: number[] = [];
  const markers: string[] = [];
  for (const run of runs) {
    if (run.decoded !== null && !secret.has(run)) continue;
    ranges.push(run.start, run.end);
    markers.push(run.decoded === null ? UNREAD_MARKER : run.marker);
  }
  return withRangesReplaced(text, ranges, markers);
}

/**
 * A blob of base64 wrapped over lines, as `base64` prints it (GNU at 76 columns, `openssl base64` at 64, PEM and
 * MIME alike): consecutive lines that each end in a base64 run behind the same prefix (nothing, an indent, a
 * compose service's `app-1  | `; digits may differ, as in timestamps), full lines of one width (a multiple of 4, at
 * least {@link BASE64_MIN_CHARS}) without padding, then at most one last line no wider. A secret's encoding can
 * straddle two of its lines, and neither line decodes to enough of it to be recognised: the runs are decoded
 * together, as one, and every line's run is replaced when that holds a secret. Each line's run is still read
 * alone as well, as any run is: lines that only look wrapped (values encoded one by one, of one width) glue the
 * end of one value to the start of the next, which can hide a token that ends or starts a line. A wrapped line is
 * so decoded twice per level, no more.
 */
interface WrappedBlock {
  /** Start and end of each line's run in its text, in pairs. */
  readonly runs: number[];
}

const isBase64Char = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Where the base64 run that ends the line `text[lineStart, lineEnd)` starts: `lineEnd` when none does. */
function trailingRunStart(text: string, lineStart: number, lineEnd: number): number {
  let at = lineEnd;
  while (at > lineStart && lineEnd - at < 2 && text.charCodeAt(at - 1) === 61 /* = */) at -= 1;
  const padded = at;
  while (at > lineStart && isBase64Char(text.charCodeAt(at - 1))) at -= 1;
  return at === padded ? lineEnd : at;
}

/** Whether two stretches of `text` read the same, a digit standing for any digit (timestamps, counters). */
function samePrefix(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const x = text.charCodeAt(a + i);
    const y = text.charCodeAt(b + i);
    if (x !== y && !(isDigit(x) && isDigit(y))) return false;
  }
  return true;
}

/** The line of `text` that starts at `lineStart`, and the base64 run that ends it as the wrapped-blob reader sees it. */
interface RunLine {
  readonly lineStart: number;
  readonly runStart: number;
  readonly lineEnd: number;
}

function runLine(text: string, lineStart: number): RunLine {
  const newline = text.indexOf('\n', lineStart);
  const lineEnd = newline === -1 ? text.length : newline;
  return { lineStart, runStart: trailingRunStart(text, lineStart, lineEnd), lineEnd };
}

const runWidth = (line: RunLine): number => line.lineEnd - line.runStart;
const isPadded = (text: string, line: RunLine): boolean => runWidth(line) > 0 && text.charCodeAt(line.lineEnd - 1) === 61; /* = */

/** Whether the line can be a full line of a wrapped blob ({@link WrappedBlock}): one that another may follow. */
function isFullLine(text: string, line: RunLine): boolean {
  const width = runWidth(line);
  return width >= BASE64_MIN_CHARS && width % 4 === 0 && width <= BASE64_MAX_CHARS_PER_LINE && !isPadded(text, line);
}

/** Whether `line` has the width and prefix of `full`, a full line of a wrapped blob. */
function sameShape(text: string, full: RunLine, line: RunLine): boolean {
  const prefixLength = full.runStart - full.lineStart;
  return line.runStart - line.lineStart === prefixLength && samePrefix(text, full.lineStart, line.lineStart, prefixLength);
}

/** The wrapped blocks of two lines or more in `text`: a full line, then lines of its shape ({@link sameShape}). */
function wrappedBlocks(text: string): WrappedBlock[] {
  const blocks: WrappedBlock[] = [];
  let open: { first: RunLine; runs: number[] } | null = null;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const line = runLine(text, lineStart);
    const width = runWidth(line);
    if (open !== null && width > 0 && width <= runWidth(open.first) && sameShape(text, open.first, line)) {
      open.runs.push(line.runStart, line.lineEnd);
      // A narrower or padded line is the blob's last.
      if (width < runWidth(open.first) || isPadded(text, line)) {
        blocks.push({ runs: open.runs });
        open = null;
      }
    } else {
      if (open !== null && open.runs.length >= 4) blocks.push({ runs: open.runs });
      open = isFullLine(text, line) ? { first: line, runs: [line.runStart, line.lineEnd] } : null;
    }
    lineStart = line.lineEnd + 1;
  }
  if (open !== null && open.runs.length >= 4) blocks.push({ runs: open.runs });
  return blocks;
}

/** The base64 of a blob: its lines' runs (pairs of start and end in `text`) joined, as the base64 pass reads a run. */
function joinedRuns(text: string, runs: readonly number[]): string {
  let joined = '';
  for (let i = 0; i < runs.length; i += 2) joined += text.slice(runs[i], runs[i + 1]);
  return joined;
}

/**
 * `texts` with the runs of every wrapped block that decodes to a secret replaced: before the patterns run, since the
 * key body rule would blank the block's full lines one by one and its last line would keep its part of the secret.
 * A block whose compressed data would inflate past what is left of `allowance` is withheld unread.
 */
function redactWrappedBase64(texts: readonly string[], depth: number, allowance: InflateAllowance): readonly string[] {
  const found: Array<{ text: number; runs: number[]; decoded: string | null; marker: string }> = [];
  texts.forEach((text, index) => {
    for (const { runs } of wrappedBlocks(text)) {
      const joined = joinedRuns(text, runs);
      // Hex wraps as base64 does (`xxd -p` at 60 columns).
      const hex = hexText(joined);
      if (hex) found.push({ text: index, runs, decoded: hex, marker: HEX_MARKER });
      const body = hex === null ? base64Body(joined) : null;
      if (body === null) continue;
      const decoded = decodedText(Buffer.from(body, 'base64'), allowance);
      if (decoded === null || decoded.length > 0) found.push({ text: index, runs, decoded, marker: SECRET_MARKER });
    }
  });
  if (found.length === 0) return texts;
  const readable = found.filter((block) => block.decoded !== null);
  const holding = holdSecrets(readable.map((block) => block.decoded as string), depth + 1, allowance);
  const secret = new Set(readable.filter((_, i) => holding[i]));
  // Runs to replace, per text, in order: blocks were found in order.
  const replaced = texts.map(() => ({ ranges: [] as number[], markers: [] as string[] }));
  for (const block of found) {
    if (block.decoded !== null && !secret.has(block)) continue;
    const { ranges, markers } = replaced[block.text] as { ranges: number[]; markers: string[] };
    for (let r = 0; r < block.runs.length; r += 2) {
      ranges.push(block.runs[r] as number, block.runs[r + 1] as number);
      markers.push(block.decoded === null ? UNREAD_MARKER : block.marker);
    }
  }
  return texts.map((text, index) => withRangesReplaced(text, replaced[index]?.ranges ?? [], replaced[index]?.markers ?? []));
}

/**
 * `text` with each range of `ranges` (start and end offsets, in order, not overlapping) replaced by `marker`, or by
 * its own marker when `marker` lists one per range.
 */
function withRangesReplaced(text: string, ranges: readonly number[], marker: string | readonly string[]): string {
  if (ranges.length === 0) return text;
  const pieces: string[] = [];
  let copied = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    pieces.push(text.slice(copied, ranges[r]), typeof marker === 'string' ? marker : (marker[r / 2] as string));
    copied = ranges[r + 1] as number;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

/**
 * Which ends of a text were cut out of a longer one: an excerpt's stretch of consecutive lines that starts below the
 * log's first line, or ends above its last. A blob wrapped over lines ({@link WrappedBlock}) that runs over a cut
 * end is seen only in part, and the part can hold part of a secret that no pattern recognises (`ci-bot:ghp_` and 29
 * of the token's 36 characters; the last 20 characters and `@github.com`): see {@link maskCutBlobs}.
 */
export interface TextCut {
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

/** A redactor: {@link redactSecrets}, or one that stands in for it. */
export type Redact = (text: string, cut?: TextCut) => string;

/**
 * The runs, in pairs of start and end, of the wrapped blob that the start of `text` may cut: its full lines of one
 * width from the first line on, and the narrower last line after them; or a first line that is the last of a blob
 * (any run the base64 pass would read). Empty when the first line ends in no such run.
 */
function blobAtStart(text: string): number[] {
  const first = runLine(text, 0);
  if (runWidth(first) < BASE64_MIN_CHARS) return [];
  const runs = [first.runStart, first.lineEnd];
  if (!isFullLine(text, first)) return runs;
  for (let line = first; line.lineEnd < text.length; ) {
    line = runLine(text, line.lineEnd + 1);
    const width = runWidth(line);
    if (width === 0 || width > runWidth(first) || !sameShape(text, first, line)) break;
    runs.push(line.runStart, line.lineEnd);
    // A narrower or padded line is the blob's last.
    if (width < runWidth(first) || isPadded(text, line)) break;
  }
  return runs;
}

/**
 * The runs, in pairs, of the wrapped blob that the end of `text` may cut: full lines of one width up to the last
 * line. A blob whose narrower or padded last line is seen ends there, cut or not.
 */
function blobAtEnd(text: string): number[] {
  const last = runLine(text, text.lastIndexOf('\n') + 1);
  if (!isFullLine(text, last)) return [];
  const starts = [last.runStart];
  for (let line = last; line.lineStart > 0; ) {
    const previousEnd = line.lineStart - 1;
    line = runLine(text, previousEnd === 0 ? 0 : text.lastIndexOf('\n', previousEnd - 1) + 1);
    if (runWidth(line) !== runWidth(last) || isPadded(text, line) || !sameShape(text, last, line)) break;
    starts.push(line.runStart);
  }
  const width = runWidth(last);
  return starts.reverse().flatMap((start) => [start, start + width]);
}

/**
 * Whether `bytes` hold text that runs into one of their ends (`atEnd`: the last byte, else the first): at least
 * {@link BASE64_MIN_STRING} characters of printable ASCII, or of UTF-16LE text (a printable byte and a NUL), as
 * {@link textInBytes} reads them. A UTF-16 character the end splits in two counts as text.
 */
function textRunsIntoEdge(bytes: Buffer, atEnd: boolean): boolean {
  const fromEdge = (k: number): number => (atEnd ? bytes[bytes.length - 1 - k] : bytes[k]) ?? -1;
  let ascii = 0;
  while (ascii < BASE64_MIN_STRING && isPrintableByte(fromEdge(ascii))) ascii += 1;
  if (ascii === BASE64_MIN_STRING) return true;
  // Read from the edge, a UTF-16LE character is a NUL then a printable byte at the end, the other way at the start.
  const printableAt = atEnd ? 1 : 0;
  let at = (atEnd ? isPrintableByte(fromEdge(0)) : fromEdge(0) === 0) ? 1 : 0;
  let characters = 0;
  while (characters < BASE64_MIN_STRING && isPrintableByte(fromEdge(at + printableAt)) && fromEdge(at + 1 - printableAt) === 0) {
    characters += 1;
    at += 2;
  }
  return characters === BASE64_MIN_STRING;
}

/**
 * `text` with the runs of a wrapped blob that a cut end of it splits replaced by `[REDACTED:base64-partial]`, when
 * what is seen of the blob decodes to text that runs into the cut: a secret may run over it, its part on this side
 * too short to be recognised, its other part in lines this text does not hold. Every line seen of such a blob is
 * replaced, failing closed: how long a secret is, and so how far back from the cut its part reaches, is not known.
 * The blob is the one the first or last line ends, as the wrapped-blob reader finds them; a blob whose bytes at
 * the cut are binary (an image, a key store) is kept, and so is compressed data unless what it inflates to runs into
 * the cut. Bounded: each end's blob is walked and decoded once.
 */
function maskCutBlobs(text: string, cut: TextCut): string {
  const atStart = cut.atStart ? blobAtStart(text) : [];
  let masked: number[];
  if (atStart.at(-1) === text.length) {
    // One blob from the first line to the last, decoded once: the end cuts it too unless its last line is narrower.
    const cutAtEnd = cut.atEnd && isFullLine(text, runLine(text, text.lastIndexOf('\n') + 1));
    masked = holdsTextAtCut(text, atStart, true, cutAtEnd) ? atStart : [];
  } else {
    // The two share no line (the first stops at a line of another shape, or at its narrower last line).
    const atEnd = cut.atEnd ? blobAtEnd(text) : [];
    masked = [...(holdsTextAtCut(text, atStart, true, false) ? atStart : []), ...(holdsTextAtCut(text, atEnd, false, true) ? atEnd : [])];
  }
  return withRangesReplaced(text, masked, `${MARKER}base64-partial]`);
}

/** Whether the blob made of `runs` (pairs of start and end in `text`) decodes to text that runs into a cut end. */
function holdsTextAtCut(text: string, runs: readonly number[], cutAtStart: boolean, cutAtEnd: boolean): boolean {
  if (runs.length === 0) return false;
  const body = base64Body(joinedRuns(text, runs));
  if (body === null) return false;
  const bytes = Buffer.from(body, 'base64');
  return (cutAtStart && textRunsIntoEdge(bytes, false)) || (cutAtEnd && (textRunsIntoEdge(bytes, true) || inflatedTextRunsIntoEnd(bytes)));
}

/**
 * Whether compressed data that a cut end splits inflates to text running into its end: the start of a gzip file
 * inflates as far as it goes, and a secret can run over that point as over a cut in plain text. Compressed data
 * whose start the cut leaves out cannot be inflated, by anyone reading the excerpt either.
 */
function inflatedTextRunsIntoEnd(bytes: Buffer): boolean {
  const parts = inflatedParts(bytes, { left: INFLATE_FIXED_BYTES });
  if (parts === null) return true;
  const last = parts.at(-1);
  return last !== undefined && textRunsIntoEdge(last, true);
}

/**
 * Patterns that read a text as a whole: a key block runs from its BEGIN line to its END line or to the end of its
 * text, a `.netrc` entry over its lines, and in decoded base64 a key body line counts only when the text names a
 * private key. When several texts
 * are redacted together these run on each text on its own; every other pattern stops at a line break, so texts
 * joined by one are read as if each were alone.
 */
const readsWholeText = (pattern: SecretPattern): boolean => pattern.id === 'private-key' || pattern.id === 'putty-private-key' || pattern.id === 'netrc-password';
const WHOLE_TEXT_PATTERNS = PATTERNS_IN_USE.filter(readsWholeText);
const LINE_PATTERNS = PATTERNS_IN_USE.filter((pattern) => !readsWholeText(pattern));
/** The token formats, read in look-alike characters too ({@link redactLookalikes}). */
const LOOKALIKE_PATTERNS = LINE_PATTERNS.filter((pattern) => pattern.kind !== 'generic');
// Running them first keeps the order of SECRET_PATTERNS (most specific first) only while they come first there.
if (PATTERNS_IN_USE.findIndex((pattern) => !readsWholeText(pattern)) !== WHOLE_TEXT_PATTERNS.length) {
  throw new RedactionError('the private-key patterns must come first in SECRET_PATTERNS');
}

function applyPattern(text: string, pattern: SecretPattern): string {
  const { ranges, markers } = patternReplacements(text, pattern);
  return withRangesReplaced(text, ranges, markers);
}

/** Where a pattern replaces what in a text: start and end offsets in pairs, in order, and the text for each pair. */
interface Replacements {
  readonly ranges: number[];
  readonly markers: string[];
}

function patternReplacements(text: string, { id, re, keep, accept, each, gate, kind }: SecretPattern): Replacements {
  const ranges: number[] = [];
  const markers: string[] = [];
  if (gate && !gate.test(text)) return { ranges, markers };
  re.lastIndex = 0;
  let copied = 0;
  for (let found = re.exec(text); found !== null; found = re.exec(text)) {
    const match = found[0];
    if (match.length === 0) {
      re.lastIndex += 1;
      continue;
    }
    let kept = '';
    for (let i = 1; i <= (keep ?? 0); i++) kept += found[i] ?? '';
    const matchEnd = found.index + match.length;
    // Pairs are judged one by one: a value an earlier pattern replaced (a JWT cookie) leaves the others to read.
    if (each) {
      const judged = kept + match.slice(kept.length).replace(each, (pair: string, name: string, value: string) => (value.includes(MARKER) || (accept && !accept(value)) ? pair : `${name}[REDACTED:${id}]`));
      ranges.push(found.index, matchEnd);
      markers.push(judged);
      copied = matchEnd;
      continue;
    }
    // A value an earlier, more specific pattern already replaced keeps its more telling label, and the
    // `:` inside a marker is not the start of a `user:password` pair.
    if (match.startsWith(MARKER, kept.length) || match.slice(kept.length).includes(MARKER)) continue;
    const open = kept.lastIndexOf(MARKER);
    if (open >= 0 && !kept.includes(']', open)) continue;
    const matched = { start: found.index + kept.length, end: matchEnd };
    // A generic rule's value in quotes runs to its closing quote (spaces, escaped quotes and all), and the quotes stay.
    const quoted = kind === 'generic' ? quotedValue(text, matched.start, matched.end, found.index) : null;
    const value = quoted !== null && !text.slice(quoted.start, quoted.end).includes(MARKER) ? quoted : matched;
    if (accept && !accept(text.slice(matched.start, matched.end)) && (value === matched || !accept(text.slice(value.start, value.end)))) continue;
    const { start, end } = escapeAligned(text, Math.max(value.start, copied), value.end);
    if (end <= start) continue;
    ranges.push(start, end);
    markers.push(replacement(id, text.slice(start, end)));
    copied = end;
    if (end > re.lastIndex) re.lastIndex = end;
  }
  return { ranges, markers };
}

/** Longest quoted value a generic rule reads to its closing quote. */
const MAX_QUOTED_VALUE = 400;
const BACKSLASH = 92;

/** How many backslashes stand right before `at` in `text`, not counting any before `from`. */
function backslashesBefore(text: string, at: number, from = 0): number {
  let count = 0;
  while (at - count > from && text.charCodeAt(at - count - 1) === BACKSLASH) count += 1;
  return count;
}

/**
 * The content of the quoted string a generic rule's value starts (`"…"` right at `start`, or after a quote its
 * kept prefix ends with), from after its opening quote to before its closing one; null when the value is not quoted
 * or its string does not close on its line within {@link MAX_QUOTED_VALUE} characters. Quotes may be escaped, at any
 * level: a quote `n` backslashes deep (0 in plain text, 1 in JSON inside a JSON string, 3 a level deeper) is closed
 * by a quote behind a run of backslashes that leaves `n` to escape it, and a quote escaped inside the string (1 more
 * level) does not close it; the closing quote's own backslashes stay with it.
 */
function quotedValue(text: string, start: number, end: number, matchStart: number): { start: number; end: number } | null {
  let quoteAt = start;
  while (quoteAt < end && text.charCodeAt(quoteAt) === BACKSLASH) quoteAt += 1;
  const opened = start - 1 >= matchStart && isQuote(text.charCodeAt(start - 1)) ? start - 1 : -1;
  const leading = quoteAt < end && isQuote(text.charCodeAt(quoteAt)) ? quoteAt : -1;
  // A quote the value starts with that is escaped deeper than the one its prefix opened is inside that string, not
  // a string of its own: `"password":"\"quoted\" rest"` is one value to the outer closing quote (review of session 32).
  if (leading < 0 || (opened >= 0 && quoteLevel(text, leading) > quoteLevel(text, opened))) quoteAt = opened;
  if (quoteAt < 0) return null;
  const quote = text.charCodeAt(quoteAt);
  const escapes = quoteLevel(text, quoteAt);
  const contentStart = quoteAt + 1;
  const limit = Math.min(text.length, contentStart + MAX_QUOTED_VALUE);
  for (let at = contentStart; at < limit; at++) {
    const code = text.charCodeAt(at);
    if (code === 10) return null;
    if (code !== quote) continue;
    const before = backslashesBefore(text, at, contentStart);
    if (before >= escapes && (before - escapes) % (2 * (escapes + 1)) === 0) return at - escapes > contentStart ? { start: contentStart, end: at - escapes } : null;
  }
  return null;
}

const isQuote = (code: number): boolean => code === 34 /* " */ || code === 39; /* ' */

/**
 * How many backslashes escape the quote at `at`: 0 in plain text, 1 in JSON inside a JSON string, 3 a level deeper. A
 * run of 2 is an escaped backslash before a plain quote, 5 one before a quote 1 deep.
 */
function quoteLevel(text: string, at: number): number {
  const run = backslashesBefore(text, at);
  return (run ^ (run + 1)) >> 1;
}

/**
 * `start` and `end` moved so that replacing what lies between them leaves every escape sequence whole: a backslash
 * that escapes the first character replaced goes with it (else it would escape the marker), and one that the last
 * character replaced leaves escaping the next character stays (else that character, often a closing quote, would
 * be left unescaped).
 */
function escapeAligned(text: string, start: number, end: number): { start: number; end: number } {
  const alignedStart = backslashesBefore(text, start) % 2 === 1 ? start - 1 : start;
  const alignedEnd = backslashesBefore(text, end) % 2 === 1 ? end - 1 : end;
  return { start: alignedStart, end: alignedEnd };
}

function applyWholeTextPatterns(text: string, depth: number): string {
  let out = text;
  for (const pattern of WHOLE_TEXT_PATTERNS) {
    // Decoded base64 that is itself one random base64 line (a digest encoded twice) is no key body: only text that
    // names a private key is read for body lines there.
    if (depth > 0 && pattern.id === 'private-key' && !text.includes('PRIVATE KEY')) continue;
    out = applyPattern(out, pattern);
  }
  return out;
}

/**
 * Letters of other scripts drawn like ASCII ones that NFKC leaves as they are (a subset of Unicode's confusables:
 * the Cyrillic and Greek letters that pass for the Latin letters and digits of token prefixes and bodies).
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a', в: 'B', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', к: 'k', ı: 'i', ɡ: 'g',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I', З: '3',
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', ι: 'i', κ: 'k', υ: 'u', χ: 'x',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
/** A character outside ASCII (the separator put after escapes aside: it stands for no character). */
const NON_ASCII = /[^\x00-\x7f\uE000]/;
const NON_ASCII_RUNS = /[^\x00-\x7f\uE000]+/g;
/** How far before a look-alike token its window reaches, for a format read after a key or scheme (`Bearer `). */
const LOOKALIKE_CONTEXT = 64;
/**
 * Fewest letters, digits, `_` and `-` in a row, one of them a look-alike, for a word to be read as a token: the
 * shortest format takes 15 (`xoxb-` and ten). Words of a language written in Cyrillic or Greek rarely have as
 * many look-alike letters in a row, and are left unread.
 */
const LOOKALIKE_MIN_RUN = 12;
const foldedChars = new Map<number, string>();

/** The ASCII a character passes for (NFKC's compatibility form: full-width, mathematical letters; or a confusable), or ''. */
function foldedChar(code: number): string {
  let folded = foldedChars.get(code);
  if (folded === undefined) {
    const char = String.fromCodePoint(code);
    const compatible = char.normalize('NFKC');
    folded = CONFUSABLES[char] ?? (compatible !== char && /^[\x21-\x7e]{1,4}$/.test(compatible) ? compatible : '');
    foldedChars.set(code, folded);
  }
  return folded;
}

const isWhitespace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);
const isTokenChar = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;

/** Whether `text[start, end)` has {@link LOOKALIKE_MIN_RUN} token characters in a row, one of them folded. */
function holdsLookalikeToken(text: string, start: number, end: number): boolean {
  let run = 0;
  let folds = false;
  for (let at = start; at < end; ) {
    const code = text.codePointAt(at) as number;
    const folded = code < 0x80 ? '' : foldedChar(code);
    if (code < 0x80 ? isTokenChar(code) : folded !== '' && isTokenChar(folded.charCodeAt(0))) {
      run += 1;
      folds ||= folded !== '';
      if (run >= LOOKALIKE_MIN_RUN && folds) return true;
    } else {
      run = 0;
      folds = false;
    }
    at += code > 0xffff ? 2 : 1;
  }
  return false;
}

/**
 * `text` with the tokens written in look-alike characters replaced: full-width or mathematical letters (`ｇｈｐ＿…`,
 * what NFKC folds to ASCII) and Cyrillic or Greek letters that pass for Latin ones (`gһp_…` with a Cyrillic `һ`),
 * which a reader maps back at a glance but no pattern reads. The words that can hold such a token
 * ({@link holdsLookalikeToken}), with up to {@link LOOKALIKE_CONTEXT} characters of their line before them, are
 * folded to ASCII and read by the token formats; a match holding a folded character is replaced in `text`, the text
 * around it kept as it was. Linear: ASCII text costs one test, and the formats read each folded word once.
 */
function redactLookalikes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const windows: number[] = [];
  let windowEnd = 0;
  NON_ASCII_RUNS.lastIndex = 0;
  for (let run = NON_ASCII_RUNS.exec(text); run !== null; run = NON_ASCII_RUNS.exec(text)) {
    let start = run.index;
    while (start > windowEnd && !isWhitespace(text.charCodeAt(start - 1))) start -= 1;
    let end = run.index + run[0].length;
    while (end < text.length && !isWhitespace(text.charCodeAt(end))) end += 1;
    NON_ASCII_RUNS.lastIndex = end;
    if (!holdsLookalikeToken(text, start, end)) continue;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let context = Math.max(lineStart, windowEnd, start - LOOKALIKE_CONTEXT);
    // The context starts at a word, not inside one (a pattern's leading `\b` would hold where the text's does not).
    while (context > lineStart && context < start && !isWhitespace(text.charCodeAt(context - 1))) context += 1;
    if (windows.length > 0 && windows[windows.length - 1] === context) windows[windows.length - 1] = end;
    else windows.push(context, end);
    windowEnd = end;
  }
  if (windows.length === 0) return text;
  const folded = new RewrittenWindows();
  for (let w = 0; w < windows.length; w += 2) {
    folded.open();
    for (let at = windows[w] as number; at < (windows[w + 1] as number); ) {
      const code = text.codePointAt(at) as number;
      const width = code > 0xffff ? 2 : 1;
      const char = code < 0x80 ? '' : foldedChar(code);
      if (char) folded.rewrite(char, at, at + width);
      else folded.keep(text, at, at + width);
      at += width;
    }
  }
  // A match must hold a folded character: the plain pass finds the others.
  return replacedFromRewritten(text, folded, LOOKALIKE_PATTERNS, true);
}

/**
 * Windows of a text rewritten for the patterns to read (look-alike letters folded, escapes decoded), joined by line
 * breaks, and for each UTF-16 unit of the rewritten text the stretch of the text it reads (-1 for a break between
 * windows) and whether it was rewritten.
 */
class RewrittenWindows {
  private readonly parts: string[] = [];
  private windows = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly changed: boolean[] = [];

  /** Starts the next window. */
  open(): void {
    if (this.windows++ > 0) this.push('\n', -1, -1, false);
  }

  /** `text[start, end)` as it is. */
  keep(text: string, start: number, end: number): void {
    this.parts.push(text.slice(start, end));
    for (let at = start; at < end; at++) {
      this.starts.push(at);
      this.ends.push(at + 1);
      this.changed.push(false);
    }
  }

  /** `written` for `text[start, end)` (empty: the stretch is dropped). */
  rewrite(written: string, start: number, end: number): void {
    this.push(written, start, end, true);
  }

  get text(): string {
    return this.parts.join('');
  }

  private push(written: string, start: number, end: number, changed: boolean): void {
    this.parts.push(written);
    for (let unit = 0; unit < written.length; unit++) {
      this.starts.push(start);
      this.ends.push(end);
      this.changed.push(changed);
    }
  }
}

/**
 * `text` with what `patterns` find in its rewritten windows replaced where it stands in `text`, the text around it
 * kept as it was: a match must lie in one window and, when `onlyRewritten`, hold a rewritten character. Of
 * overlapping matches the first found gives the label (patterns run most specific first), and the union goes.
 */
function replacedFromRewritten(text: string, rewritten: RewrittenWindows, patterns: readonly SecretPattern[], onlyRewritten: boolean): string {
  const copy = rewritten.text;
  const { starts, ends, changed } = rewritten;
  const found: Array<{ start: number; end: number; marker: string; order: number }> = [];
  for (const pattern of patterns) {
    const { ranges, markers } = patternReplacements(copy, pattern);
    for (let r = 0; r < ranges.length; r += 2) {
      const start = ranges[r] as number;
      const end = ranges[r + 1] as number;
      if (starts.slice(start, end).includes(-1) || (onlyRewritten && !changed.slice(start, end).includes(true))) continue;
      found.push({ start: starts[start] as number, end: ends[end - 1] as number, marker: markers[r / 2] as string, order: found.length });
    }
  }
  return withFoundReplaced(text, found);
}

/**
 * Letters then digits, one run of each (`EXAMPLEKEY123456`, `build2024`): a name and a number as people write them. A
 * generated body over letters and digits mixes the two (a random 16 of capitals and digits has this shape about once
 * in 300), though such a value, of two classes and enough distinct characters, passes for a secret after a key.
 */
const WORD_THEN_NUMBER = /^[A-Za-z]+\d+$/;

/**
 * Whether a value reads as generated: as a secret after a key would ({@link looksLikeSecretValue}), or, shorter,
 * {@link mixedRandom}; and not a word then a number ({@link WORD_THEN_NUMBER}), the shape of an example body that prose
 * puts after a format's start (`start with AKIA` | `EXAMPLEKEY123456`).
 */
const readsGenerated = (value: string): boolean => !WORD_THEN_NUMBER.test(value) && (secretValue(value) || mixedRandom(value));

/** A stretch of a text to replace, found by a pattern in a copy of it; `order`: how many were found before it. */
interface FoundStretch {
  readonly start: number;
  readonly end: number;
  readonly marker: string;
  readonly order: number;
}

/** `text` with the stretches of `found` replaced: of overlapping ones the first found gives the label, the union goes. */
function withFoundReplaced(text: string, found: FoundStretch[]): string {
  if (found.length === 0) return text;
  found.sort((a, b) => a.start - b.start || a.order - b.order);
  const ranges: number[] = [];
  const markers: string[] = [];
  for (const match of found) {
    const last = ranges.length - 1;
    if (last > 0 && match.start < (ranges[last] as number)) {
      ranges[last] = Math.max(ranges[last] as number, match.end);
      continue;
    }
    ranges.push(match.start, match.end);
    markers.push(match.marker);
  }
  return withRangesReplaced(text, ranges, markers);
}

/**
 * The token formats whose start marks a token by itself ({@link marksToken}: `ghp_`, `AKIA`, `xoxb-`), for the rules
 * that find part of a token: its start says what the rest is. Their starts are read together, with case.
 */
const PARTIAL_TOKEN_FORMATS = LINE_PATTERNS.flatMap((pattern) => {
  const start = pattern.kind === 'generic' || pattern.keep !== undefined || pattern.re.ignoreCase ? null : tokenStart(pattern.re.source);
  return start !== null && marksToken(start) ? [{ pattern, start }] : [];
});
/** A token of {@link PARTIAL_TOKEN_FORMATS} starting right there (`lastIndex`): its start. */
const TOKEN_START_AT = new RegExp(`(?:${PARTIAL_TOKEN_FORMATS.map(({ start }) => start.prefix).join('|')})`, 'y');
/** The characters a start can begin with, by their code: a position with another is passed over without a test. */
const TOKEN_FIRST_CHARS = new Set(PARTIAL_TOKEN_FORMATS.flatMap(({ start }) => [...start.firstChars].map((char) => char.charCodeAt(0))));
const isAlphanumeric = (code: number): boolean => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
/** Longest part of a token read on either side of a line break or before a mask. */
const PARTIAL_TOKEN_WINDOW = 512;
/** How far into the next line a token's start may run (`gh` | `p_…`): the longest start, and some. */
const TOKEN_START_CHARS = 32;
/** Longest prefix two lines may share before a wrapped token's second half (a timestamp, a service's name). */
const SHARED_PREFIX_CHARS = 128;

/**
 * How long a prefix the lines at `a` and `b` share, up to the last whitespace in it (a timestamp and its space, a
 * service's `app-1  | `; digits may differ): 0 when they share none.
 */
function sharedLinePrefix(text: string, a: number, b: number, limit: number): number {
  let shared = 0;
  for (let i = 0; i < limit; i++) {
    const x = text.charCodeAt(a + i);
    const y = text.charCodeAt(b + i);
    if (x !== y && !(isDigit(x) && isDigit(y))) break;
    if (isWhitespace(x)) shared = i + 1;
  }
  return shared;
}

/** Where the word that ends at `end` starts, no further back than `floor` nor {@link PARTIAL_TOKEN_WINDOW} characters. */
function wordStartBefore(text: string, end: number, floor: number): number {
  let start = end;
  while (start > floor && end - start < PARTIAL_TOKEN_WINDOW && !isWhitespace(text.charCodeAt(start - 1))) start -= 1;
  return start;
}

/**
 * Where the first token start ({@link TOKEN_START_AT}) in `text[start, end)` is, behind no letter or digit, or -1. A
 * start may run on past `end` into `next` (the next line's first word: `gh` | `p_…`).
 */
function tokenStartIn(text: string, start: number, end: number, next: WordAfterBreak | null = null): number {
  for (let at = start; at < end; at++) {
    if (!TOKEN_FIRST_CHARS.has(text.charCodeAt(at)) || (at > 0 && isAlphanumeric(text.charCodeAt(at - 1)))) continue;
    if (next !== null && end - at < TOKEN_START_CHARS) {
      TOKEN_START_AT.lastIndex = 0;
      if (TOKEN_START_AT.test(text.slice(at, end) + text.slice(next.start, Math.min(next.end, next.start + TOKEN_START_CHARS)))) return at;
      continue;
    }
    TOKEN_START_AT.lastIndex = at;
    if (TOKEN_START_AT.test(text)) return at;
  }
  return -1;
}

/** The first word of a line, behind the prefix it shares with the line before (see {@link wordAfterBreak}). */
interface WordAfterBreak {
  readonly start: number;
  readonly end: number;
  /** Where the word's line ends: at a line break, or at the end of the text. */
  readonly lineEnd: number;
  /** Whether the word runs to its line's end (a `\r` before the break aside): the token may go on on the next line. */
  readonly fillsLine: boolean;
}

/** Where the line `[start, end)` ends without a Windows line ending's `\r`. */
const endBeforeReturn = (text: string, start: number, end: number): number => (end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);

/**
 * The first word of the line after the line break at `lineEnd` (its line starting at `lineStart`), behind the prefix
 * the two lines share ({@link sharedLinePrefix}) and its own indentation (a hanging indent may differ from the first
 * line's), {@link PARTIAL_TOKEN_WINDOW} characters at most; null when there is none. The join must still be the whole
 * format, so a stack frame's `at` under a token's first piece is no second piece.
 */
function wordAfterBreak(text: string, lineStart: number, lineEnd: number): WordAfterBreak | null {
  const nextStart = lineEnd + 1;
  const nextBreak = text.indexOf('\n', nextStart);
  const nextEnd = nextBreak === -1 ? text.length : nextBreak;
  const contentEnd = endBeforeReturn(text, nextStart, nextEnd);
  let start = nextStart + sharedLinePrefix(text, lineStart, nextStart, Math.min(lineEnd - lineStart, contentEnd - nextStart, SHARED_PREFIX_CHARS));
  while (start < contentEnd && start - nextStart < SHARED_PREFIX_CHARS && isWhitespace(text.charCodeAt(start))) start += 1;
  let end = start;
  while (end < contentEnd && end - start < PARTIAL_TOKEN_WINDOW && !isWhitespace(text.charCodeAt(end))) end += 1;
  return end > start ? { start, end, lineEnd: nextEnd, fillsLine: end === contentEnd } : null;
}

/**
 * `text` with each token that line breaks cut in pieces replaced, every piece: a terminal or `fold` wraps a long line
 * at its width, and no piece is long enough for its format. A line that ends in a word holding a token's start
 * ({@link PARTIAL_TOKEN_FORMATS}; the start may run on into the next line) is read joined to the word that starts
 * the next line, behind the prefix the two lines share (a timestamp, a service's name), and on to the line after
 * while that word fills its line; a match of a format across a line break is replaced on each line, the breaks and
 * prefixes kept. When the first line's piece is a whole token by itself, the next line's word is taken only when it
 * reads as generated ({@link readsGenerated}): `Done` after a token is a word. Linear: a line's words are read once as
 * its last and once as its first, {@link PARTIAL_TOKEN_WINDOW} characters at most, and the formats read the joins
 * once.
 */
function redactWrappedTokens(text: string): string {
  const joins = new RewrittenWindows();
  let joined = false;
  let lineStart = 0;
  for (let lineEnd = text.indexOf('\n'); lineEnd !== -1; lineEnd = text.indexOf('\n', lineStart)) {
    const contentEnd = endBeforeReturn(text, lineStart, lineEnd);
    const tailStart = wordStartBefore(text, contentEnd, lineStart);
    let head = tailStart < contentEnd ? wordAfterBreak(text, lineStart, lineEnd) : null;
    const tokenAt = head === null ? -1 : tokenStartIn(text, tailStart, contentEnd, head);
    if (tokenAt >= 0 && head !== null) {
      joins.open();
      joins.keep(text, tokenAt, contentEnd);
      joined = true;
      let read = contentEnd - tokenAt;
      for (;;) {
        joins.keep(text, head.start, head.end);
        read += head.end - head.start;
        if (!head.fillsLine || head.lineEnd === text.length || read >= 2 * PARTIAL_TOKEN_WINDOW) break;
        // The word fills its line: the token may go on on the next one. That line is read whole, as a last word.
        const following = wordAfterBreak(text, lineEnd + 1, head.lineEnd);
        if (following === null) break;
        lineEnd = head.lineEnd;
        head = following;
      }
    }
    lineStart = lineEnd + 1;
  }
  if (!joined) return text;
  const copy = joins.text;
  const { starts, ends } = joins;
  const found: FoundStretch[] = [];
  for (const { pattern, start: formatStart } of PARTIAL_TOKEN_FORMATS) {
    const { ranges, markers } = patternReplacements(copy, pattern);
    for (let r = 0; r < ranges.length; r += 2) {
      const start = ranges[r] as number;
      const end = ranges[r + 1] as number;
      if (starts.slice(start, end).includes(-1)) continue;
      // The line breaks: where the stretch of the text a unit reads does not go on from the one before.
      const breaks = [start];
      for (let unit = start + 1; unit < end; unit++) if (starts[unit] !== ends[unit - 1]) breaks.push(unit);
      if (breaks.length === 1) continue;
      const firstBreak = breaks[1] as number;
      // A first piece that is a whole token, or its start alone (`… start with AKIA`, `scipy, sk-`: prose naming
      // it), says nothing of what follows: the rest must read as generated itself.
      const firstPieceSaysNothing = firstBreak - start <= formatStart.minLength || patternReplacements(copy.slice(start, firstBreak), pattern).ranges[0] === 0;
      if (firstPieceSaysNothing && !readsGenerated(copy.slice(firstBreak, end))) continue;
      breaks.push(end);
      const marker = markers[r / 2] as string;
      for (let b = 0; b + 1 < breaks.length; b++) {
        found.push({ start: starts[breaks[b] as number] as number, end: ends[(breaks[b + 1] as number) - 1] as number, marker, order: found.length });
      }
    }
  }
  return withFoundReplaced(text, found);
}

/** What a CI prints for a value it masks: GitHub's and Jenkins' `***`, GitLab's `[MASKED]`, Travis's `[secure]`. */
const CI_MASK = /\*{3,}|\[(?:MASKED|masked|secure|FILTERED|filtered)\]/g;
/**
 * A token's start and what follows it in its format's characters, to the end of the text: which format's by the
 * group that matched (the formats' order, most specific first).
 */
const TRUNCATED_TOKEN = new RegExp(PARTIAL_TOKEN_FORMATS.map(({ start }) => `(${start.prefix})${start.body ?? '[A-Za-z0-9_-]'}+$`).join('|'), 'y');
/**
 * A token's visible body that is lower-case words (`sk-learn***`, `npm_config***`): a word that begins like a token, not
 * a generated body, which would hold a digit or a capital long before that.
 */
const WORDS = /^[a-z]+(?:[-_.][a-z]+)*$/;
/** How many token starts before one mask are tried (`sk-learn-ghp_…`: the first is not always the token's). */
const MAX_STARTS_BEFORE_A_MASK = 4;

/**
 * `text` with the visible part of each token whose tail a CI masked replaced: masking by value leaves a token's start
 * when the registered secret was a shorter or derived string (`ghp_R8kz3Qm1***`). A token's start
 * ({@link PARTIAL_TOKEN_FORMATS}) followed by one character or more of its format up to the mask is replaced, the mask
 * kept; a start alone (`ghp_***`) shows nothing of the token. Linear: each mask reads the word before it, back to the
 * mask before, {@link PARTIAL_TOKEN_WINDOW} characters at most.
 */
function redactMaskedTokenParts(text: string): string {
  const found: FoundStretch[] = [];
  let floor = 0;
  CI_MASK.lastIndex = 0;
  for (let mask = CI_MASK.exec(text); mask !== null; mask = CI_MASK.exec(text)) {
    const maskStart = mask.index;
    const wordStart = wordStartBefore(text, maskStart, floor);
    floor = maskStart + mask[0].length;
    const visible = text.slice(wordStart, maskStart);
    let start = wordStart;
    for (let tried = 0; tried < MAX_STARTS_BEFORE_A_MASK && start < maskStart; tried++) {
      const at = tokenStartIn(text, start, maskStart);
      if (at < 0) break;
      TRUNCATED_TOKEN.lastIndex = at - wordStart;
      const token = TRUNCATED_TOKEN.exec(visible);
      const group = token === null ? -1 : token.slice(1).findIndex((matched) => matched !== undefined);
      if (token !== null && !WORDS.test(token[0].slice((token[group + 1] as string).length))) {
        const { pattern } = PARTIAL_TOKEN_FORMATS[group] as { pattern: SecretPattern };
        found.push({ start: at, end: maskStart, marker: replacement(pattern.id, ''), order: found.length });
        break;
      }
      start = at + 1;
    }
  }
  return withFoundReplaced(text, found);
}

/**
 * A JSON `\uXXXX` escape, behind any number of backslashes (one more level of JSON inside a JSON string doubles them):
 * `{"\u0070assword":…}`, a secret escaped letter by letter, `\u0067hp_…` in a message. No pattern reads through one.
 * And JSON's `\/`, which PHP's json_encode and others write for every slash: `https:\/\/user:password@host` is no
 * URL to the URL rules (attack-49 F).
 */
/** What Go's encoding/json escapes by default, besides quotes, backslashes and control characters. */
const GO_HTML_ESCAPED = '<>&';
// From the first backslash of a run only: tried at each, a run of backslashes with no escape after it was read again
// from every one of them (quadratic: 0.9 s for 32 KB of `\`).
const UNICODE_ESCAPE = /(?<!\\)\\+(?:u([0-9A-Fa-f]{4})|\/)/g;

/**
 * What the escaped UTF-16 unit `code` reads as for the patterns: the character, '' for a hidden one (a zero-width
 * space splitting a token), or null to leave the escape as it is written: a quote, a backslash or a control character
 * decoded would change where the strings around it end, and a lone surrogate is no character.
 */
function unescapedChar(code: number): string | null {
  if (code < 0x20 || code === 0x22 || code === 0x27 || code === 0x5c || (code >= 0x7f && code < 0xa0)) return null;
  if (code >= 0xd800 && code < 0xe000) return null;
  const char = String.fromCharCode(code);
  return stripHidden(char) === '' ? '' : char;
}

/**
 * `text` with the secrets written with JSON `\uXXXX` or `\/` escapes replaced: each line holding an escape that decodes to a
 * character ({@link unescapedChar}; surrogate pairs to theirs) is decoded and read by every line pattern, after the
 * plain pass, so what is found there is new; it is replaced where it stands in `text` (the escapes it covers with it),
 * the rest of the line kept as written. Linear: a line without such an escape costs nothing more.
 */
function redactUnicodeEscapes(text: string): string {
  if (text.indexOf('\\') === -1) return text;
  const decoded = new RewrittenWindows();
  let lineEnd = -1;
  let copied = 0;
  UNICODE_ESCAPE.lastIndex = 0;
  for (let escape = UNICODE_ESCAPE.exec(text); escape !== null; escape = UNICODE_ESCAPE.exec(text)) {
    // An escaped slash reads as the code of `/`.
    let code = escape[1] === undefined ? 0x2f : parseInt(escape[1], 16);
    let end = escape.index + escape[0].length;
    let char: string | null;
    const low = code >= 0xd800 && code < 0xdc00 ? /^\\+u(d[c-f][0-9a-f]{2})/i.exec(text.slice(end, end + 16)) : null;
    if (low !== null) {
      code = ((code - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00) + 0x10000;
      end += low[0].length;
      char = String.fromCodePoint(code);
      UNICODE_ESCAPE.lastIndex = end;
    } else {
      char = unescapedChar(code);
    }
    if (char === null) continue;
    if (escape.index > lineEnd) {
      // A line is read again only for an escape that can hide part of a secret (`{"\u0070assword"…`, `\u0067hp_…`, a
      // hidden character): not for escaped accents or emoji, which no pattern reads, nor for the `<`, `>` and `&` Go's
      // encoding/json escapes in every URL and tag it logs (that cost 3.3 times a plain log's time on such a log).
      if (char.length > 0 && (char.charCodeAt(0) >= 0x80 || GO_HTML_ESCAPED.includes(char))) continue;
      if (lineEnd >= 0) decoded.keep(text, copied, lineEnd);
      const lineStart = text.lastIndexOf('\n', escape.index) + 1;
      lineEnd = text.indexOf('\n', escape.index);
      if (lineEnd === -1) lineEnd = text.length;
      decoded.open();
      copied = lineStart;
    }
    decoded.keep(text, copied, escape.index);
    decoded.rewrite(char, escape.index, end);
    copied = end;
  }
  if (lineEnd === -1) return text;
  decoded.keep(text, copied, lineEnd);
  return replacedFromRewritten(text, decoded, LINE_PATTERNS, false);
}

/** `text` as the patterns read it: without ANSI codes and hidden characters, a separator after each escape. */
function cleanForPatterns(text: string): string {
  // A hidden character can split a token without changing how it reads: removed before the patterns look.
  return stripHidden(stripAnsi(text)).replace(SEPARATORS, '').replace(ESCAPE_BEFORE_WORD, `$1${SEPARATOR}`);
}

/** `text` cut into as many parts as `like` has, each with as many lines as its part of `like`. */
function splitLike(text: string, like: readonly string[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < like.length; i++) {
    const part = like[i] as string;
    let lineStart = from;
    for (let at = part.indexOf('\n'); at !== -1; at = part.indexOf('\n', at + 1)) {
      const lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) throw new RedactionError('redaction removed a line of a decoded text');
      lineStart = lineEnd + 1;
    }
    const joint = text.indexOf('\n', lineStart);
    const last = i === like.length - 1;
    if (last ? joint !== -1 : joint === -1) throw new RedactionError('redaction changed the number of lines of a decoded text');
    parts.push(text.slice(from, last ? text.length : joint));
    from = joint + 1;
  }
  return parts;
}

/**
 * Redacts several texts at once (the texts decoded from one text's base64 runs): each is cleaned, its wrapped
 * base64 read, and read for keys on its own, then they are joined by line breaks and the other patterns and the
 * base64 pass run once over the whole. Running every pattern on each decoded text cost a hundred
 * regular-expression calls per run, which made a file of short base64 runs many times dearer to redact than a
 * plain log of the same size. The texts of every level share the top level's `allowance` for inflating.
 */
function redactTexts(texts: readonly string[], depth: number, cut?: TextCut, allowance: InflateAllowance = allowanceFor(texts)): string[] {
  const cleanedForPatterns = texts.map(cleanForPatterns);
  const prepared = cut === undefined ? cleanedForPatterns : cleanedForPatterns.map((text) => maskCutBlobs(text, cut));
  const unwrapped = depth < BASE64_MAX_DEPTH ? redactWrappedBase64(prepared, depth, allowance) : prepared;
  const cleaned = unwrapped.map((text) => applyWholeTextPatterns(text, depth));
  let out = cleaned.length === 1 ? (cleaned[0] as string) : cleaned.join('\n');
  // Before the formats: a token's first piece can be a whole token by itself, which they would replace alone.
  out = redactWrappedTokens(redactLookalikes(out));
  for (const pattern of LINE_PATTERNS) out = applyPattern(out, pattern);
  out = redactMaskedTokenParts(out);
  out = redactUnicodeEscapes(out);
  if (depth < BASE64_MAX_DEPTH) out = redactBase64(out, depth, allowance);
  out = redactUrlEncodedGlue(out.replace(SEPARATORS, ''));
  if (depth < BASE64_MAX_DEPTH) out = redactPercentEncoded(out, depth, allowance);
  return cleaned.length === 1 ? [out] : splitLike(out, cleaned);
}

/**
 * Replaces every secret found in `text` with `[REDACTED:<kind>]`. ANSI escape codes and invisible characters
 * are removed first. A base64 run that decodes to text holding a secret becomes `[REDACTED:base64-secret]`, one
 * too long to read `[REDACTED:base64-unread]`. When `text` was cut out of a longer one (`cut`), a wrapped blob split
 * by a cut end becomes `[REDACTED:base64-partial]` line by line ({@link maskCutBlobs}).
 *
 * @throws RedactionError when the input is not a string or a pattern fails; callers must then withhold the
 * text instead of sending it on unredacted.
 */
export function redactSecrets(text: string, cut?: TextCut): string {
  if (typeof text !== 'string') throw new RedactionError(`cannot redact a ${typeof text}`);
  try {
    return redactTexts([text], 0, cut)[0] as string;
  } catch (error) {
    throw new RedactionError('secret redaction failed', { cause: error });
  }
}

/**
 * Whether {@link redactSecrets} would replace anything in `text`, for text that must be published whole or not
 * at all (a diff: a redaction marker inside it would corrupt it). True as well when redaction cannot run.
 */
export function holdsSecret(text: string): boolean {
  try {
    return countMarkers(redactSecrets(text)) > countMarkers(text);
  } catch {
    return true;
  }
}

/** Text shown instead of an excerpt whose redaction failed. */
export const WITHHELD_TEXT = '[withheld: secret redaction failed]';

/** {@link redactSecrets}, failing closed: if redaction cannot run, the text is withheld rather than passed on. */
export function redactOrWithhold(text: string): string {
  try {
    return redactSecrets(text);
  } catch {
    return WITHHELD_TEXT;
  }
}

/**
 * Redacts every string inside a JSON-like value (log fields, error details); other values are kept. Depth and
 * size are bounded so a hostile object cannot make logging expensive.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactOrWithhold(value);
  if (value instanceof Error) return redactOrWithhold(`${value.name}: ${value.message}`);
  if (depth >= 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 200).map(([key, item]) => [key, redactDeep(item, depth + 1)]));
}

/**
 * Redacts several lines together (a private key spans lines) and returns them in the same order; `cut` tells which
 * ends were cut out of a longer text. If redaction fails, every line is replaced by {@link WITHHELD_TEXT}: fail
 * closed, never pass raw text on.
 */
export function redactLines(texts: readonly string[], redact: Redact = redactSecrets, cut?: TextCut): string[] {
  try {
    const out = redact(texts.join('\n'), cut).split('\n');
    if (out.length !== texts.length) throw new RedactionError('redaction changed the number of lines');
    return out;
  } catch {
    return texts.map(() => WITHHELD_TEXT);
  }
}

/** The text a line inside a private-key block is replaced with when lines are redacted one at a time. */
export const PRIVATE_KEY_LINE = '[REDACTED:private-key]';
/** The line that opens a private-key block (a trigger of the line filter: the filter below must see it). */
export const PRIVATE_KEY_BEGIN_RE = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
const PRIVATE_KEY_END_RE = /-----END[A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/;
/**
 * A line that can be part of a key's body: base64 (possibly quoted, indented or followed by a `\n` escape, as in
 * source code), a PEM header (`Proc-Type:`, `DEK-Info:`) or a blank line. A 4096-bit RSA key is 51 lines, a PGP
 * private key block of that size about 110.
 */
const PRIVATE_KEY_BODY_RE = /^\s*(?:["'`+]\s*)?(?:[A-Za-z0-9+/]{1,128}={0,2}(?:\\n)?|(?:Proc-Type|DEK-Info|Comment|Version):.*)?\s*["'`,;+)]*\s*$/;
const MAX_PRIVATE_KEY_LINES = 400;

/** A docker compose service's prefix (`web-1  | `). */
const COMPOSE_PREFIX_RE = /^[\w.-]+\s*\| /;

/** The prefix a task runner puts on a line of one task's output (Turborepo, docker compose), null without one. */
function streamPrefixOf(text: string): string | null {
  const task = taskPrefixLength(text);
  if (task > 0) return text.slice(0, task);
  return COMPOSE_PREFIX_RE.exec(text)?.[0] ?? null;
}

/**
 * Redaction for a stream of lines seen one at a time (the log scanner keeps only a window of them, so a key
 * block's BEGIN line may be far from the lines an excerpt shows). It remembers whether the stream is inside a
 * `-----BEGIN … PRIVATE KEY-----` block and replaces every line up to the END line, however long the block.
 * Other lines pass unchanged: excerpts are redacted again, as a whole, when they are built.
 */
export class PrivateKeyLineFilter {
  private insideKey = false;
  private linesInside = 0;
  /** What came before `-----BEGIN` on its line: body lines carry the same prefix (`web-1  | `, a timestamp). */
  private prefixLength = 0;
  /** The BEGIN line's task prefix (`web:build: `, `web-1  | `), when it has one: the key is that task's output. */
  private stream: string | null = null;
  private bodySeen = false;

  /** True from a key's BEGIN line to its END line: every line read in between is blanked. */
  get inside(): boolean {
    return this.insideKey;
  }

  filter(text: string): string {
    if (!this.insideKey) {
      // Every log line passes here: a plain substring search first, the pattern only when it can match.
      const begin = text.indexOf('-----BEGIN');
      if (begin === -1 || !PRIVATE_KEY_BEGIN_RE.test(text)) return text;
      this.insideKey = !PRIVATE_KEY_END_RE.test(text.slice(begin + 10));
      this.linesInside = 0;
      this.prefixLength = begin;
      this.stream = streamPrefixOf(text) === text.slice(0, begin) && begin > 0 ? text.slice(0, begin) : null;
      this.bodySeen = false;
      return redactSecrets(text);
    }
    if (PRIVATE_KEY_END_RE.test(text)) {
      this.insideKey = false;
      return PRIVATE_KEY_LINE;
    }
    this.linesInside += 1;
    if (this.linesInside > MAX_PRIVATE_KEY_LINES) {
      this.insideKey = false;
      return this.filter(redactSecrets(text));
    }
    // Parallel tasks (Turborepo, docker compose) print interleaved, each line under its own task's prefix: another
    // task's line neither belongs to the key nor ends it. Ended there, the key's body lines that follow reached the
    // excerpts as they were.
    if (this.stream !== null && !text.startsWith(this.stream)) {
      const other = streamPrefixOf(text);
      if (other !== null && other !== this.stream) return redactSecrets(text);
    }
    // Once a body line was seen, the key runs to its END line (within the bound above), whatever its lines hold.
    if (this.bodySeen) return PRIVATE_KEY_LINE;
    const rest = text.length > this.prefixLength ? text.slice(this.prefixLength) : text;
    if (PRIVATE_KEY_BODY_RE.test(text) || PRIVATE_KEY_BODY_RE.test(rest)) {
      if (/[A-Za-z0-9+/]{16}/.test(rest)) this.bodySeen = true;
      return PRIVATE_KEY_LINE;
    }
    // A BEGIN line with no key after it (a source constant found by grep, a secret scanner's report) must not
    // blank the rest of the log: the key ends at the first line that cannot start one.
    this.insideKey = false;
    return this.filter(redactSecrets(text));
  }
}
