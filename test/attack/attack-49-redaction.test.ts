import { describe, expect, it } from 'vitest';
import { loadWebhook } from '../../infra/local/replay.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { analyzeLog, redactSecrets } from '../../shared/logs/index.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { createFakeGitHub, stepDeps } from '../support/fakes.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../support/growth.js';

/**
 * Attack pass 49 on "secrets are redacted before anything leaves the first stage that sees them". Each row is a
 * secret as a real tool prints it in a CI log, which came out of `redactSecrets` (what every excerpt, prompt, PR
 * comment, incident record and page goes through) whole when the pass found it. Rows marked `it.fails` are still
 * open: each asserts the redaction that does not happen yet, so it fails the day it is fixed. Each closed row has
 * neighbours of ordinary text that its rule must leave as it is.
 *
 * The values are made up, in each vendor's documented shape (AWS: a 20-character key id, a 40-character base64
 * secret, STS session tokens starting `IQoJb3JpZ2luX2Vj` (base64 of their own header); GitHub: `ghp_` and 36).
 */
const AWS_KEY_ID = 'AKIAQ3EGRZ7TV5XWN2PL';
const AWS_TEMP_KEY_ID = 'ASIAQ3EGRZ7TV5XWN2PL';
const AWS_SECRET = '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';
const AWS_SESSION =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDk7Lq3mZ9pXv2Wc8Tn4Rb6Yh1Jf5Gd0Ks3Ae7Nu9Px2QIgV4tL8oB1cM6rZ0wE3yH7kJ9nF2sD5qA8gU1iT4pR6eoq7gIIk///////////ARAAGgw1NTUxMjM0NTY3ODkiDPq3wR9kLm2Zt7Vn8SrLAkYh3Xc6Jb0Tq';
const GITHUB_TOKEN = 'ghp_R8kz3Qm1Lx7Vt2Wn9Pb4Hc6Jd0Fs5Gy8EaUo';
const PASSWORD = 'Wq7pLz2Rk9Xv4Nt6';

const survives = (text: string, secret: string): boolean => redactSecrets(text).includes(secret);

describe('class A (high): AWS credentials as the AWS CLI prints them (--output text/table, credentials CSV)', () => {
  // Where they go: an `aws sts assume-role`/`aws iam create-access-key` step whose output precedes a failure is the
  // excerpt's context: PR comment, LLM prompt, incident record, page. The key id was redacted by format; the secret
  // key and the session token have no key name in front of them (a tab, a `|` or a `,`), so no rule read them.
  it('control: the secret after AWS_SECRET_ACCESS_KEY= is redacted', () => {
    expect(survives(`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`, AWS_SECRET)).toBe(false);
  });

  it.each([
    ['aws iam create-access-key --output text', `ACCESSKEY\t${AWS_KEY_ID}\t2026-11-27T02:11:05+00:00\t${AWS_SECRET}\tActive\tci-deployer`],
    ['aws sts assume-role --output text', `CREDENTIALS\t${AWS_TEMP_KEY_ID}\t2026-11-27T03:11:05+00:00\t${AWS_SECRET}\t${AWS_SESSION}`],
    ['a credentials CSV (console download) printed by cat', `${AWS_KEY_ID},${AWS_SECRET}`],
    ['aws ... --output table', `||  SecretAccessKey |  ${AWS_SECRET}  ||`],
  ])('the secret access key is redacted: %s', (_, line) => {
    expect(survives(line, AWS_SECRET)).toBe(false);
  });

  it.each([
    ['aws sts assume-role --output text', `CREDENTIALS\t${AWS_TEMP_KEY_ID}\t2026-11-27T03:11:05+00:00\t${AWS_SECRET}\t${AWS_SESSION}`],
    ['aws ... --output table', `||  SessionToken    |  ${AWS_SESSION}  ||`],
    ['a Python dict of boto3 credentials', `{'Token': '${AWS_SESSION}'}`],
  ])('the STS session token is redacted by its format: %s', (_, line) => {
    expect(survives(line, AWS_SESSION.slice(0, 60))).toBe(false);
  });

  it('the secret key in an assume-role excerpt does not reach the analysis (excerpt and context)', async () => {
    const log = [
      '##[group]Run aws sts assume-role --role-arn arn:aws:iam::555123456789:role/ci --role-session-name ci --output text',
      `CREDENTIALS\t${AWS_TEMP_KEY_ID}\t2026-11-27T03:11:05+00:00\t${AWS_SECRET}\t${AWS_SESSION}`,
      'An error occurred (AccessDenied) when calling the PutObject operation: Access Denied',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const shown = JSON.stringify(await analyzeLog(log, { contextLines: 10 }));
    expect(shown).not.toContain(AWS_SECRET);
    expect(shown).not.toContain(AWS_SESSION.slice(0, 60));
  });
});

describe('class B (high): a secret piped into a login command, as `set -x` traces it', () => {
  // Where they go: the trace line is right above the login error (`unauthorized`, `denied`), the excerpt itself.
  // The secret is `echo`'s argument or a here-string; only the login command's flag says it is one.
  it.each([
    ['echo | docker login --password-stdin', `+ echo ${PASSWORD} | docker login -u deploy --password-stdin ghcr.io`],
    ["printf '%s' | podman login --password-stdin", `+ printf '%s' ${PASSWORD} | podman login --username deploy --password-stdin quay.io`],
    ['docker login --password-stdin <<<', `+ docker login -u deploy --password-stdin registry.example.com <<< ${PASSWORD}`],
    ['echo | helm registry login --password-stdin', `+ echo "${PASSWORD}" | helm registry login ghcr.io -u deploy --password-stdin`],
  ])('is redacted: %s', (_, line) => {
    expect(survives(line, PASSWORD)).toBe(false);
  });

  it('a GitHub token piped into gh auth login --with-token is redacted', () => {
    // The token's format catches it wherever it stands: the control for the format-less rows above.
    expect(survives(`+ echo ${GITHUB_TOKEN} | gh auth login --with-token`, GITHUB_TOKEN)).toBe(false);
  });

  it('an opaque token piped into gh auth login --with-token is redacted (a GitHub Enterprise Server token)', () => {
    const token = 'a3f9c1e7b5d2084f6e1c9a7b3d5f0e2c4a6b8d0f';
    expect(survives(`+ echo ${token} | gh auth login --hostname ghe.example.com --with-token`, token)).toBe(false);
  });
});

describe('class C (medium): a token as a command\'s positional argument', () => {
  // `npm config set <key> <value>` and `gh secret set NAME --body <value>`: the key is not joined to the value by
  // `=` or `:`, so the .npmrc rule and the key-value rules do not apply.
  const NPM_UUID = '5f1b2c3d-8e9a-4b7c-9d0e-1f2a3b4c5d6e';
  it.each([
    ['npm config set …:_authToken <uuid>', `+ npm config set //registry.npmjs.org/:_authToken ${NPM_UUID}`, NPM_UUID],
    ['npm config set _auth <base64>', `+ npm config set _auth ${Buffer.from(`deploy:${PASSWORD}`).toString('base64')}`, Buffer.from(`deploy:${PASSWORD}`).toString('base64')],
    ['gh secret set --body', `+ gh secret set NPM_TOKEN --body ${PASSWORD}`, PASSWORD],
    ['gh secret set -b', `+ gh secret set DEPLOY_KEY -b ${PASSWORD} --repo acme/app`, PASSWORD],
  ])('is redacted: %s', (_, line, secret) => {
    expect(survives(line, secret)).toBe(false);
  });

  // SonarScanner's `sonar.login` is its token (deprecated name, still printed by `mvn -X`), or a user's login when
  // `sonar.password` follows it: read as a secret key, whose value must look generated (a login is a name).
  const SONAR_TOKEN = '9c1e7b5d2084f6e1c9a7b3d5f0e2c4a6b8d0fa3f';
  it.each([
    ['mvn -Dsonar.login=', `+ mvn -B verify sonar:sonar -Dsonar.login=${SONAR_TOKEN}`],
    ['gradle -Dsonar.login=', `+ ./gradlew sonar -Dsonar.login=${SONAR_TOKEN} -Dsonar.host.url=https://sonar.example.com`],
    ['dotnet-sonarscanner /d:sonar.login="…"', `+ dotnet sonarscanner begin /k:acme_app /d:sonar.login="${SONAR_TOKEN}"`],
    ['sonar-project.properties echoed', `sonar.login=${SONAR_TOKEN}`],
    ['Maven settings.xml property', `<sonar.login>${SONAR_TOKEN}</sonar.login>`],
    ['-Dsonar.token= (its name since SonarQube 10)', `+ mvn sonar:sonar -Dsonar.token=${SONAR_TOKEN}`],
    ['SONAR_TOKEN= in the environment', `SONAR_TOKEN=${SONAR_TOKEN}`],
  ])('sonar.login and its other names are redacted: %s', (_, line) => {
    expect(survives(line, SONAR_TOKEN)).toBe(false);
  });

  it.each([
    ['a user name as the login (its password follows in a -Dsonar.password)', '+ mvn sonar:sonar -Dsonar.login=admin'],
    ['a service account name', 'sonar.login=ci-sonar-bot'],
    ['the project key and host', '+ mvn sonar:sonar -Dsonar.projectKey=acme_app -Dsonar.host.url=https://sonar.example.com'],
    ["the scanner's own log line", "INFO: Load project settings for component key: 'acme_app'"],
    ['a variable as the login', '+ mvn sonar:sonar -Dsonar.login=${SONAR_TOKEN}'],
  ])('ordinary Sonar text stays: %s', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('class D (medium): vendor API-key headers whose name the header rules do not know', () => {
  // `curl -v` prints request headers (`> Name: value`); the header rule knows `Authorization`, the key-value rule
  // `api_key`/`access_key`/`token`: Azure API Management's and Azure Functions' key headers are neither.
  it.each([
    ['Ocp-Apim-Subscription-Key', `> Ocp-Apim-Subscription-Key: 3f9c1e7b5d2084f6e1c9a7b3d5f0e2c4`, '3f9c1e7b5d2084f6e1c9a7b3d5f0e2c4'],
    ['x-functions-key', `> x-functions-key: Rk9Xv4Nt6Wq7pLz2aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ==`, 'Rk9Xv4Nt6Wq7pLz2aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ'],
  ])('is redacted: %s', (_, line, secret) => {
    expect(survives(line, secret)).toBe(false);
  });
});

describe('class E (medium): a .netrc printed as netrc(5) documents it, one token per line', () => {
  // `cat ~/.netrc` in a debug step; the netrc rule wanted `machine … login … password …` on one line.
  it('control: the one-line form is redacted', () => {
    expect(survives(`machine github.com login deploy password ${PASSWORD}`, PASSWORD)).toBe(false);
  });

  it('the password on its own line after machine and login lines is redacted', () => {
    expect(survives(`machine github.com\n  login deploy\n  password ${PASSWORD}`, PASSWORD)).toBe(false);
  });

  // The analysis shows a window of context lines above the failure: one that starts below the `machine` line showed
  // the `password` line alone, which the multi-line rule cannot read.
  it('the password line of a .netrc is redacted in an excerpt whose window starts below its machine line', async () => {
    const log = [
      '+ cat /home/runner/.netrc',
      'machine github.com',
      '  login deploy',
      `  password ${PASSWORD}`,
      ...Array.from({ length: 5 }, (_, i) => `step output ${i}`),
      'fatal: Authentication failed for https://github.com/acme/app.git',
      '##[error]Process completed with exit code 128.',
    ].join('\n');
    for (const contextLines of [6, 7]) {
      expect(JSON.stringify(await analyzeLog(log, { contextLines }))).not.toContain(PASSWORD);
    }
  });
});

describe('class F (medium): JSON that escapes its slashes (PHP json_encode, Jackson with ESCAPE_FORWARD_SLASHES)', () => {
  // `https:\/\/user:password@host`: the url-password rule wants `://`.
  it('a password in a URL with escaped slashes is redacted', () => {
    expect(survives(`{"repository":"https:\\/\\/deploy:${PASSWORD}@git.example.com\\/acme\\/app.git"}`, PASSWORD)).toBe(false);
  });
});

describe('class G (low-medium): a token the log cut in two', () => {
  // A terminal-wrapped or `fold`-ed line splits a token over two log lines, each half below its format's length. A
  // line that ends in a known token prefix (and what follows it) is read joined to the first word of the next line
  // (behind the same prefix: a timestamp, a service's `app-1  | `), and both halves go when the join is the format.
  const STAMP = '2026-11-27T03:11:05.1234567Z ';
  it.each([
    ['after its 24th character', '', 24, ''],
    ['inside its prefix', '+ echo ', 2, ''],
    ['right after its prefix', 'token=', 4, ''],
    ['each line behind a timestamp', `${STAMP}+ echo `, 30, STAMP.replace('1234567', '1299999')],
  ])('a GitHub token wrapped over two lines is redacted (both halves): %s', (_, before, at, stamp) => {
    const out = redactSecrets(`${before}${GITHUB_TOKEN.slice(0, at)}\n${stamp}${GITHUB_TOKEN.slice(at)} | gh auth login --with-token`);
    expect(out.split('\n')).toHaveLength(2);
    if (at > 4) expect(out).not.toContain(GITHUB_TOKEN.slice(4, at));
    expect(out).not.toContain(GITHUB_TOKEN.slice(Math.max(at, 4)));
    expect(out).toContain(' | gh auth login --with-token');
  });

  it.each([
    ['with a Windows line ending', `using ${GITHUB_TOKEN.slice(0, 24)}\r\n${GITHUB_TOKEN.slice(24)} done`],
    ['the second half under a hanging indent', `  token: ${GITHUB_TOKEN.slice(0, 24)}\n         ${GITHUB_TOKEN.slice(24)}`],
  ])('a GitHub token wrapped over two lines is redacted (both halves): %s', (_, text) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(GITHUB_TOKEN.slice(4, 24));
    expect(out).not.toContain(GITHUB_TOKEN.slice(24));
  });

  it('an AWS key id wrapped by fold is redacted (both halves), the text around it kept', () => {
    expect(redactSecrets(`deployer key id ${AWS_KEY_ID.slice(0, 9)}\n${AWS_KEY_ID.slice(9)} (ci)`)).toBe('deployer key id [REDACTED:aws-access-key-id]\n[REDACTED:aws-access-key-id] (ci)');
  });

  it.each([
    ['a token whole on its line, a word on the next', `export GH_TOKEN=${GITHUB_TOKEN}\nDone`, 'export GH_TOKEN=[REDACTED:github-token]\nDone'],
    ['a prefix named in prose, a word on the next', 'classic tokens start with ghp_\nand fine-grained ones with github_pat_', null],
    ['a word that ends a line, a word that starts the next', 'npm WARN deprecated\nrequest@2.88.2: request has been deprecated', null],
    ['a prefix whose join is too short for its format', 'using ghp_R8kz\nQm1L', null],
    ['a start in a list, a long word on the next line', 'deps: numpy, scipy, sk-\nlearn_extensions_for_tabular_models is optional', null],
    ['a prefix whose next line is indented', `using ${GITHUB_TOKEN.slice(0, 24)}\n    at Object.<anonymous> (/src/app.ts:1:1)`, `using ${GITHUB_TOKEN.slice(0, 24)}\n    at Object.<anonymous> (/src/app.ts:1:1)`],
  ])('ordinary line ends stay as they are: %s', (_, text, expected) => {
    expect(redactSecrets(text)).toBe(expected ?? text);
  });

  // A start alone ending a line says nothing of what follows (prose names formats by their starts), so the next
  // line's word must read as generated by itself: a word then a number (`EXAMPLEKEY123456`) is how names and counters
  // are written, while a generated body of capitals and digits mixes the two.
  it('ordinary line ends stay as they are: a start named in prose, an example key body on the next line', () => {
    const text = 'AWS key ids start with AKIA\nEXAMPLEKEY123456 is not one';
    expect(redactSecrets(text)).toBe(text);
  });

  // An AWS key id's body is base32 (A-Z and 2-7), for every prefix: a next-line word in that alphabet after a start
  // alone is a key's body whatever its shape (letters then digits too: about one real key in 90), one holding a 0, 1, 8
  // or 9 is none, and a line whose key names a credential takes the next word even then.
  it.each([
    ["the key's name on the line, a body of letters then digits", 'export AWS_ACCESS_KEY_ID=AKIA\nQWERTYUIOPASD234 done', 'QWERTYUIOPASD234'],
    ['no key name, a body of letters then digits', 'deployer key id AKIA\nQWERTYUIOPASD234 (ci)', 'QWERTYUIOPASD234'],
    ['a temporary key id, the start cut in two', 'assumed ASI\nAZXCVBNMASDFGH567 ok', 'ZXCVBNMASDFGH567'],
    ['a role id', 'role AROA\nMNBVCXZLKJHGF432 created', 'MNBVCXZLKJHGF432'],
    ['an example body under an environment key', 'export AWS_ACCESS_KEY_ID=AKIA\nEXAMPLEKEY123456', 'EXAMPLEKEY123456'],
    ['an example body under a config file key', 'aws_access_key_id = AKIA\nEXAMPLEKEY123456', 'EXAMPLEKEY123456'],
  ])('an AWS key id wrapped right after its start is redacted: %s', (_, text, body) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(body);
    expect(out.split('\n')[0]).toMatch(/\[REDACTED:aws-access-key-id\]$/);
  });

  it('a next-line word with a character no AWS key id holds (8, 1, 0, 9) is no key body after a start alone', () => {
    const text = 'key ids start with AKIA\nR8KZ3QM1LX7VT2WN is a build id';
    expect(redactSecrets(text)).toBe(text);
  });

  // Masking by value leaves a token's own prefix when the registered secret was a shorter or derived string
  // (`ghp_…` printed with `***` where only the tail was registered): a known prefix and what follows it up to a CI's
  // mask is a token's visible part.
  it.each([
    ["GitHub's ***", `using ${GITHUB_TOKEN.slice(0, 20)}***`, GITHUB_TOKEN.slice(4, 20)],
    ["GitLab's [MASKED]", `using ${GITHUB_TOKEN.slice(0, 12)}[MASKED]`, GITHUB_TOKEN.slice(4, 12)],
    ['an AWS key id', `assuming role with key ${AWS_KEY_ID.slice(0, 10)}****`, AWS_KEY_ID.slice(4, 10)],
  ])('a token whose tail the CI masked keeps no visible part: %s', (_, line, visible) => {
    const out = redactSecrets(line);
    expect(out).not.toContain(visible);
    expect(out).toMatch(/\[REDACTED:[a-z-]+\]/);
  });

  it.each([
    ['a masked value with nothing of a token before it', 'GH_TOKEN: ***'],
    ['a prefix alone before the mask', 'token: ghp_***'],
    ['a word ending like a prefix before a mask', 'risk-free***'],
    ['a mailgun-like prefix before a word that is not hex', 'using key-file***'],
    ['bold markdown', '***Build succeeded***'],
    ['a package name before a mask', 'pip install sk-learn***'],
    ['a word after a mailgun-like start', 'using key-abc***'],
    ['an npm config variable', 'npm_config***'],
  ])('masks without a visible token part stay: %s', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('class H (low): an opaque key after a bare `key=` query parameter', () => {
  // `?key=` names a secret on Google's and others' APIs but also cache keys, sort keys and map keys in URLs
  // everywhere (the Google key itself is caught by its `AIza` format): a value is taken when a part of it between
  // `-` and `_` is 16 characters or more of digits and letters of both cases, as generated (mixedRandom).
  const KEY = 'Rk9Xv4Nt6Wq7pLz2aB3cD4eF5gH6iJ7k';
  it.each([
    ['?key=', `GET https://api.example.com/v1/geocode?key=${KEY}&q=Berlin 403`],
    ['&key=', `curl: (22) The requested URL returned error: 403 https://maps.example.com/api/js?v=3&key=${KEY}`],
    ['at the end of a quoted URL', `fetch("https://api.example.com/v1/search?q=x&key=${KEY}")`],
    ['at the end of a sentence', `Requests failed for https://maps.example.com/api/js?key=${KEY}.`],
    ['HTML-escaped &amp;key= (a JUnit or HTML report)', `<a href="https://api.example.com/v1/search?q=x&amp;key=${KEY}">search</a>`],
    ['JSON-escaped \\u0026key=', `{"url":"https://api.example.com/v1/search?q=x\\u0026key=${KEY}"}`],
  ])('an opaque API key after key= is redacted: %s', (_, line) => {
    expect(survives(line, KEY)).toBe(false);
  });

  it.each([
    ['a name', 'GET /api/settings?key=name 200'],
    ['a number', 'GET /api/items?page=2&key=123 200'],
    ['a sort key', 'GET /api/users?sort=asc&key=created_at 200'],
    ['a cache key of words and a digest', 'GET /_apis/artifactcache/cache?key=node-cache-Linux-x64-npm-6f1ed002ab5595859014ebf0951522d9&version=1'],
    ['a lower-case hex digest', 'GET /objects?key=3f9c1e7b5d2084f6e1c9a7b3d5f0e2c4a6b8d0fa 404'],
    ['an object path', 'GET https://bucket.s3.amazonaws.com/?list-type=2&key=builds/Linux/App-1.2.3.tar.gz'],
    ['a file name of a generated word', 'GET /objects?key=Rk9Xv4Nt6Wq7pLz2aB3c.tar.gz 404'],
  ])('ordinary key= values stay: %s', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('class I (high, availability): a hostile line costs time linear in its length, as a plain log line does', () => {
  // An attacker controls the log. Each shape below is built to make one of this pass's rules (or the `\/` and `\uXXXX`
  // decoding) try again at every position; what is checked is how its CPU time grows with the line's length (a linear
  // reading reads an exponent near 1, one that reads the line again from each position near 2; test/support/growth.ts),
  // not a clock, which a busy machine breaks. The last shape was quadratic before this pass: the escape pattern read a
  // run of backslashes again from each of them (32 KB of `\` and a `u` took 1.5 s, a 1 MB log line would take minutes).
  /** 16 to 128 KB: a reading that starts again at each position is seconds at the largest, a linear one milliseconds. */
  const HOSTILE_SIZES = [16_384, 32_768, 65_536, 131_072];
  const HOSTILE_LINES: Array<[string, (size: number) => string]> = [
    ['echo … | repeated before a --password-stdin', (size) => `${repeatedTo('echo a| ')(size)} --password-stdin`],
    ['--password-stdin <<< repeated', repeatedTo('--password-stdin <<')],
    ['AWS key ids and short fields', repeatedTo(`${AWS_KEY_ID},x,`)],
    ['redacted key ids and short fields', repeatedTo('[REDACTED:aws-access-key-id] aaaa ')],
    ['netrc machine tokens', repeatedTo('machine h login u ')],
    ['one netrc machine and a run of spaces', (size) => `machine ${repeatedTo(' ')(size)}`],
    ['npm config set repeated', repeatedTo('config set :')],
    ['gh secret set -b repeated', repeatedTo('gh secret set -b')],
    ['escaped slashes', repeatedTo('\\/')],
    ['a run of backslashes and a u', (size) => `${repeatedTo('\\')(size)}u`],
    ['security import -x repeated', repeatedTo('security import -x ')],
    ['ldap tools without -w', repeatedTo('ldapsearch -x ')],
    ['SQL roles without a password', repeatedTo("ROLE r WITH LOGIN PASSWORD ")],
    ["IDENTIFIED BY ' repeated", repeatedTo("IDENTIFIED BY '")],
    ['.NET keys without a value', repeatedTo('key="DbPassword" ')],
    ['netrc password lines', repeatedTo('  password hunter2 x\n')],
    ['-Dsonar.login= repeated', repeatedTo('-Dsonar.login=')],
    ['?key= repeated', repeatedTo('?key=')],
    ['&key= and short values', repeatedTo('&key=Ab1')],
    ['&amp;key= and \\u0026key= repeated', repeatedTo('&amp;key=\\u0026key=')],
    ['a key value of dots between words', (size) => `?key=${repeatedTo('aB3cD4eF5gH6iJ7k.')(size)}`],
    ['a long key value that never ends the query', (size) => `?key=${repeatedTo('aB3')(size)}/`],
    ['htpasswd -b repeated', repeatedTo('htpasswd -b ')],
    ['htpasswd options without a password', repeatedTo('htpasswd -b -C 10 -B -c ')],
    ['docker --entrypoint htpasswd repeated', repeatedTo('--entrypoint htpasswd i ')],
    ['pass= lines', repeatedTo('pass=x y\n')],
    ['pass= and a run of spaces', (size) => `pass=${repeatedTo(' ')(size)}x`],
    ['line prefixes before pass=', repeatedTo('[2024-01-02T03:04:05Z] app-1 | web:a: pass=')],
    ['a bracket that never closes before pass=', (size) => `[${repeatedTo('a')(size)} pass=x`],
    ['token prefixes ending lines', repeatedTo('x ghp_a\nghp_a\n')],
    ['token prefixes ending indented Windows lines', repeatedTo('x ghp_a\r\n        ghp_a\r\n')],
    ['a token prefix and a long body on the next line', (size) => `ghp_a\n${repeatedTo('a')(size)}`],
    ['token prefixes bundled before a mask', (size) => `${repeatedTo('github_pat_')(size)}***`],
    ['masks after token prefixes', repeatedTo('ghp_ab***')],
    ['masks after a long body', repeatedTo(`ghp_${'a'.repeat(600)}***`)],
  ];

  it.each(HOSTILE_LINES)('%s', (_, hostileLine) => {
    expect(cpuGrowthExponent(HOSTILE_SIZES, hostileLine, redactSecrets)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  }, 30_000);
});

describe('class J (medium): a job name is stored and shown as GitHub gave it', () => {
  // A job's name is written by the workflow and may interpolate a matrix value or an input (`name: test (${{
  // matrix.database_url }})`). classify redacted the step name (analyzer.ts redactStep) but kept the job name whole,
  // and cut it to 200 characters, which could leave half a token: it reaches the incident record, the PR comment
  // (`Log lines of <job>`), the diagnosis sentence and the LLM prompt.
  it('classify stores no password from a job name, in the job summary or the diagnosis', async () => {
    const github = createFakeGitHub();
    github.port.listFailedJobs = async () => [
      { id: 4901, name: `test (postgres://ci:${PASSWORD}@db.internal:5432/app)`, htmlUrl: null, conclusion: 'failure', checkRunId: 4901, steps: [] },
    ];
    github.port.openJobLog = async () =>
      (async function* () {
        yield new TextEncoder().encode('npm ERR! code ETIMEDOUT\nnpm ERR! network request to https://registry.npmjs.org/left-pad failed\n##[error]Process completed with exit code 1.\n');
      })();
    const { deps } = stepDeps({ github: github.port });
    const trigger = triggerFromWorkflowRun(loadWebhook('workflow_run-failure').body as never, 'delivery-49');

    await classifyStep({ trigger }, deps);

    const stored = JSON.stringify(await deps.incidents.get(trigger.incidentId));
    expect(stored).toContain('postgres://ci:');
    expect(stored).not.toContain(PASSWORD);
  });
});

describe('class K (medium): a stage\'s error message is recorded and paged as thrown', () => {
  // Step Functions hands notify the failed stage's error (`classifyError.Cause`); describeCaught kept its message
  // whole. Messages quote what failed: a command line with a URL's credentials (`Command failed: git fetch
  // https://user:password@…`), or Node's JSON.parse quoting the text around a bad token. It reaches the incident's
  // stageErrors (DynamoDB, the read API, the dashboard timeline) and the page.
  it('notify records and pages no password from a stage error', async () => {
    const { deps, published } = stepDeps();
    const trigger = triggerFromWorkflowRun(loadWebhook('workflow_run-failure').body as never, 'delivery-49');
    const cause = JSON.stringify({ errorMessage: `Command failed: git fetch https://deploy:${PASSWORD}@git.example.com/acme/app.git` });

    await notifyStep({ trigger, classifyError: { Error: 'Error', Cause: cause } }, deps);

    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident?.stageErrors[0]?.error).toContain('git fetch https://deploy:');
    expect(JSON.stringify(incident)).not.toContain(PASSWORD);
    expect(JSON.stringify(published)).not.toContain(PASSWORD);
  });
});

describe('class L (medium): passwords on the command lines of tools the flag rules did not know', () => {
  // `set -x` traces of signing, keychain, directory and database set-up steps: each tool names its password flag its
  // own way, and the generic flag rules know `--password`, `-p` after a few clients, `storepass`/`keypass`.
  it.each([
    ['gpg --passphrase', `+ gpg --batch --yes --passphrase ${PASSWORD} --decrypt secrets.tar.gpg`],
    ['keytool -srcstorepass/-deststorepass', `+ keytool -importkeystore -srckeystore in.p12 -srcstorepass ${PASSWORD} -deststorepass ${PASSWORD}`],
    ['openssl -passin pass:', `+ openssl pkcs12 -in cert.p12 -passin pass:${PASSWORD} -nodes -out cert.pem`],
    ['openssl enc -k', `+ openssl enc -d -aes-256-cbc -k ${PASSWORD} -in secrets.enc -out secrets.json`],
    ['az login -p', `+ az login --service-principal -u 0f1e2d3c-aaaa-bbbb-cccc-111122223333 -p ${PASSWORD} --tenant acme.onmicrosoft.com`],
    ['security unlock-keychain -p', `+ security unlock-keychain -p ${PASSWORD} build.keychain`],
    ['security import -P', `+ security import cert.p12 -k build.keychain -P ${PASSWORD} -T /usr/bin/codesign`],
    ['ssh-keygen -N', `+ ssh-keygen -t ed25519 -N '${PASSWORD}' -f deploy_key`],
    ['ldapsearch -w', `+ ldapsearch -x -H ldap://ldap.internal -D cn=admin,dc=acme,dc=org -w ${PASSWORD} -b dc=acme,dc=org`],
    ['smbclient -U user%password', `+ smbclient //files.internal/builds -U ci%${PASSWORD} -c 'put app.zip'`],
    ['rabbitmqctl add_user', `+ rabbitmqctl add_user ci ${PASSWORD}`],
    ["SQL IDENTIFIED BY", `ERROR 1396 (HY000) at line 1: Operation CREATE USER failed for 'ci'@'%': CREATE USER 'ci'@'%' IDENTIFIED BY '${PASSWORD}';`],
    ['SQL WITH PASSWORD', `psql:init.sql:3: ERROR:  role "ci" already exists: CREATE ROLE ci WITH LOGIN PASSWORD '${PASSWORD}';`],
    ['.NET appSettings key/value', `  <add key="ClearTextPassword" value="${PASSWORD}" />`],
  ])('is redacted: %s', (_, line) => {
    expect(survives(line, PASSWORD)).toBe(false);
  });

  // htpasswd's password is its last positional argument after `-b` and a file and a user name (or `-nb` and a user
  // name): read by htpasswd's option grammar (flags may be bundled, `-C` and `-r` take a number), and after Docker's
  // `--entrypoint htpasswd <image>` as the registry's documentation runs it.
  it.each([
    ['-b -c FILE USER PASSWORD', `+ htpasswd -b -c .htpasswd ci ${PASSWORD}`],
    ['-bc FILE USER PASSWORD', `+ htpasswd -bc /etc/nginx/.htpasswd ci ${PASSWORD}`],
    ['-b -B -C 12 FILE USER PASSWORD', `+ htpasswd -b -B -C 12 auth/htpasswd ci '${PASSWORD}'`],
    ['-nb USER PASSWORD', `+ htpasswd -nb ci ${PASSWORD}`],
    ['-Bbn USER PASSWORD, from a Docker entrypoint', `+ docker run --rm --entrypoint htpasswd httpd:2 -Bbn ci ${PASSWORD} > auth/htpasswd`],
  ])('htpasswd -b is redacted: %s', (_, line) => {
    expect(survives(line, PASSWORD)).toBe(false);
  });

  it.each([
    ['a password it prompts for (-c without -b)', '+ htpasswd -c .htpasswd ci'],
    ['a user deleted', '+ htpasswd -D .htpasswd ci'],
    ['a password read from stdin', '+ htpasswd -i .htpasswd ci'],
    ['its usage line', 'Usage: htpasswd [-cimB25dpsDv] [-C cost] [-r rounds] passwordfile username'],
    ['the package installed', '+ apt-get install -y apache2-utils # provides htpasswd -b'],
  ])('htpasswd without a password on its line stays: %s', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });

  // A bare `pass` is no password key anywhere else (automake's `PASS:`, code's `first_pass = …`, a test tally's
  // `pass=3 fail=0`): an INI or .env line whose key is `pass` alone, with nothing before it but spaces, `=` and one
  // value to the end of the line (not a count, ratio or percentage), is a configuration's password.
  it.each([
    ['pass=value', `pass=${PASSWORD}`],
    ['pass = value, indented', `  pass = ${PASSWORD}`],
    ['Pass="value"', `Pass="${PASSWORD}"`],
    ['in a section echoed by cat', `[smtp]\nhost = mail.example.com\nuser = ci\npass = ${PASSWORD}`],
    ['behind a docker compose service prefix', `app-1  | pass=${PASSWORD}`],
    ['behind a Jenkins timestamp', `[2024-01-02T03:04:05.678Z] pass=${PASSWORD}`],
    ['behind a GitHub Actions timestamp', `2024-01-02T03:04:05.6780000Z pass = ${PASSWORD}`],
    ['behind a Turborepo task prefix', `web:deploy: pass=${PASSWORD}`],
  ])('an INI `pass=` value is redacted: %s', (_, text) => {
    expect(survives(text, PASSWORD)).toBe(false);
  });

  it.each([
    ["automake's test result", 'PASS: tests/test-parser.sh'],
    ['a variable in code', 'first_pass = compute_first_pass(graph)'],
    ['a test tally', 'pass=3 fail=0 skip=1'],
    ['a count', 'pass=128'],
    ['a percentage', 'pass=100%'],
    ['a ratio', 'pass = 12/12'],
    ["Python's pass", '    pass'],
    ['a comparison', 'pass == expected'],
    ['a boolean', 'pass=true'],
    ['an assignment in code', '        pass = matched;'],
    ['a variable', 'pass=$SMTP_PASS'],
    ['a test result', 'pass=passed'],
    ['a status', 'pass=Success'],
    ['a tally behind a compose prefix', 'app-1  | pass=3 fail=0'],
    ['code behind a Jenkins timestamp', '[2024-01-02T03:04:05.678Z] first_pass = compute(graph)'],
    ['a label before pass=', 'summary: pass=Wq7pLz2Rk9Xv4Nt6'],
  ])('ordinary `pass` text stays: %s', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
