/**
 * Whether a value reads as a secret: not a placeholder, a template or a name, and enough entropy for its length
 * (the generic rules judge what follows a key, flag or header with these).
 */

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
  if (isTemplateOnly(raw.replace(/^["'`]+/, '').replace(/(?<!["'`,;])["'`,;]+$/, ''))) return false;
  const value = raw.replace(/^["'`]+/, '').replace(/(?<!["'`,;)\]}])["'`,;)\]}]+$/, '');
  const minLength = options.minLength ?? (options.passwordKey ? 4 : 8);
  if (value.length < minLength) return false;
  if (PLACEHOLDER.test(value) || value.startsWith('[REDACTED')) return false;
  if (/^-/.test(value)) return false; // the next flag, not a value
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return false; // the name of the variable that holds it
  if (/^\d{1,5}$/.test(value)) return false; // a port, a count, a timeout
  if (/^(?:https?|file):\/\//i.test(value) && !/:[^/@\s:]+@|:[^/@\s:]*:@/.test(value)) return false; // a URL without credentials
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

export const secretValue = (secret: string): boolean => looksLikeSecretValue(secret);
export const passwordValue = (secret: string): boolean => looksLikeSecretValue(secret, { passwordKey: true });
export const highEntropy = (min: number) => (secret: string): boolean => shannonEntropy(secret) >= min;

/**
 * Generated, not written: digits and letters of both cases, and the entropy of random text of that length
 * (paths and names reach neither: `trunk/src/main/java`, `MyOrganization/my-repository`).
 */
export function mixedRandom(secret: string): boolean {
  return /\d/.test(secret) && /[A-Z]/.test(secret) && /[a-z]/.test(secret) && shannonEntropy(secret) >= Math.min(3.5, Math.log2(secret.length) * 0.8);
}

/** Fewest bytes of spaced hex after a key taken for a key: an AES-128 key's 16 (a 4-byte id or a short count is not). */
const SPACED_HEX_MIN_BYTES = 16;

/**
 * Whether `value` (hex digit groups separated by single spaces or tabs) is the bytes of a key as a dump prints them:
 * {@link SPACED_HEX_MIN_BYTES} or more, digits of one case, every group as wide as the first but the last, no wider.
 */
export function isSpacedHexKey(value: string): boolean {
  if (/[a-f]/.test(value) && /[A-F]/.test(value)) return false;
  const groups = value.split(/[^\S\n]/);
  const width = (groups[0] as string).length;
  if (groups.some((group, i) => (i < groups.length - 1 ? group.length !== width : group.length > width))) return false;
  return groups.join('').length >= 2 * SPACED_HEX_MIN_BYTES;
}

/** Base64 line of a PEM/OpenSSH body: 40–100 base64 characters, mixed case and digits, nothing else. */
const PEM_BODY_LINE = /^\s*[A-Za-z0-9+/]{40,100}={0,2}\s*$/;

export function isPemBodyLine(line: string): boolean {
  return PEM_BODY_LINE.test(line) && /[a-z]/.test(line) && /[A-Z]/.test(line) && /\d/.test(line) && shannonEntropy(line.trim()) >= 4.5;
}
