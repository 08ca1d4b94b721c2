import { crc32, deflateRawSync, deflateSync, gzipSync, inflateRawSync, zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RedactionError } from '../../../shared/errors.js';
import { analyzeLog, redactLines, redactSecrets, SECRET_PATTERNS, WITHHELD_TEXT } from '../../../shared/logs/index.js';
import { BASE64_MAX_CHARS_PER_LINE } from '../../../shared/logs/redaction/base64.js';
import { seededBytes } from '../../support/random.js';

// Built from parts so the repository itself does not carry strings that look like live credentials.
const rep = (c: string, n: number): string => c.repeat(n);
const A36 = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2dF4hJ6k'.slice(0, 36);

interface FormatCase {
  name: string;
  text: string;
  secret: string;
  kind: string;
}

const FORMATS: FormatCase[] = [
  { name: 'GitHub PAT (ghp_)', kind: 'github-token', secret: `ghp_${A36}`, text: 'using token X for push' },
  { name: 'GitHub OAuth (gho_)', kind: 'github-token', secret: `gho_${A36}`, text: 'oauth=X' },
  { name: 'GitHub user-to-server (ghu_)', kind: 'github-token', secret: `ghu_${A36}`, text: 'X' },
  { name: 'GitHub server-to-server (ghs_)', kind: 'github-token', secret: `ghs_${A36}`, text: 'https://x-access-token:X@github.com' },
  { name: 'GitHub refresh (ghr_)', kind: 'github-token', secret: `ghr_${A36}`, text: 'refresh X' },
  { name: 'GitHub fine-grained PAT', kind: 'github-pat', secret: `github_pat_11${rep('A', 20)}_${rep('b', 59)}`, text: 'GH_TOKEN=X' },
  { name: 'GitLab PAT', kind: 'gitlab-token', secret: `glpat-${rep('x1', 10)}`, text: 'PRIVATE-TOKEN: X' },
  { name: 'AWS access key id', kind: 'aws-access-key-id', secret: `AKIA${rep('Q', 12)}7ABC`, text: 'aws_access_key_id = X' },
  { name: 'AWS secret access key', kind: 'aws-secret-access-key', secret: `${rep('wJalrXUtnFEMI/K7MDENG', 2).slice(0, 40)}`, text: 'aws_secret_access_key=X' },
  { name: 'AWS session token', kind: 'aws-session-token', secret: `IQoJb3JpZ2luX2VjE${rep('Ab', 20)}`, text: 'AWS_SESSION_TOKEN=X' },
  { name: 'JWT', kind: 'jwt', secret: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${rep('dBjftJeZ4CVP', 3)}`, text: 'id_token X' },
  { name: 'Slack bot token', kind: 'slack-token', secret: `xoxb-${rep('1', 12)}-${rep('2', 12)}-${rep('aZ', 12)}`, text: 'SLACK=X' },
  { name: 'Slack webhook', kind: 'slack-webhook', secret: `https://hooks.slack.com/services/T0000/B0000/${rep('XyZ', 8)}`, text: 'posting to X' },
  { name: 'Stripe secret key', kind: 'stripe-key', secret: `sk_live_${rep('4eC39HqLyjWDarjtT1zdp7dc', 1)}`, text: 'stripe X' },
  { name: 'Google API key', kind: 'google-api-key', secret: `AIza${rep('Sy', 17)}A`, text: 'key=X' },
  { name: 'Google OAuth token', kind: 'google-oauth-token', secret: `ya29.${rep('a0AfH6', 6)}`, text: 'Authorization X' },
  { name: 'Azure storage account key', kind: 'azure-storage-key', secret: `${rep('Zm9vYmFy', 8)}==`, text: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=X;EndpointSuffix=core.windows.net' },
  { name: 'Azure SAS signature', kind: 'azure-sas-signature', secret: `${rep('abcd', 8)}%3D`, text: 'https://acme.blob.core.windows.net/c/f?sv=2022-11-02&sig=X' },
  { name: 'npm token', kind: 'npm-token', secret: `npm_${A36}`, text: 'NODE_AUTH_TOKEN X' },
  { name: 'npmrc auth', kind: 'npmrc-auth', secret: `${rep('s3cr3t', 4)}`, text: '//registry.npmjs.org/:_authToken=X' },
  { name: 'PyPI token', kind: 'pypi-token', secret: `pypi-AgEIcHlwaS5vcmc${rep('Cj', 30)}`, text: 'twine upload -p X' },
  { name: 'Docker Hub token', kind: 'docker-hub-token', secret: `dckr_pat_${rep('Qw', 14)}`, text: 'docker login -p X' },
  { name: 'OpenAI key', kind: 'openai-key', secret: `sk-proj-${rep('Ab1', 16)}`, text: 'OPENAI X' },
  { name: 'SendGrid key', kind: 'sendgrid-key', secret: `SG.${rep('ab', 11)}.${rep('cd', 22)}`, text: 'mail X' },
  { name: 'Hugging Face token', kind: 'huggingface-token', secret: `hf_${rep('aB', 17)}`, text: 'HF X' },
  { name: 'Bearer header', kind: 'bearer-token', secret: `${rep('opaque-token-', 2)}42`, text: 'Authorization: Bearer X' },
  { name: 'Basic auth header', kind: 'authorization-basic', secret: 'dXNlcjpwYXNzd29yZA==', text: 'Authorization: Basic X' },
  { name: 'password in URL', kind: 'url-password', secret: 'hunter2pass', text: 'git clone https://deploy:X@git.example.com/r.git' },
  { name: 'key=value password', kind: 'key-value-secret', secret: 'correct-horse-battery', text: 'DB_PASSWORD=X ./migrate' },
  { name: 'key: value api key', kind: 'key-value-secret', secret: 'zx81spectrum', text: 'api_key: "X"' },
  { name: 'client secret', kind: 'key-value-secret', secret: 'notSoSecretValue9', text: '--client-secret=X' },
];

describe('redactSecrets per format', () => {
  it('covers at least 25 formats', () => {
    expect(FORMATS.length).toBeGreaterThanOrEqual(25);
    expect(SECRET_PATTERNS.length).toBeGreaterThanOrEqual(25);
  });

  for (const f of FORMATS) {
    it(`redacts ${f.name}`, () => {
      // Prepare
      const text = f.text.replace('X', f.secret);
      // Act
      const out = redactSecrets(text);
      // Assert
      expect(out).not.toContain(f.secret);
      expect(out).toContain(`[REDACTED:${f.kind}]`);
    });
  }

  it('redacts a private key block across lines and keeps the line count', () => {
    // Prepare
    const body = rep('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 2);
    const text = ['before', '-----BEGIN RSA PRIVATE KEY-----', body, body, '-----END RSA PRIVATE KEY-----', 'after'].join('\n');
    // Act
    const out = redactSecrets(text);
    // Assert
    expect(out).not.toContain(body);
    expect(out.split('\n')).toHaveLength(6);
    expect(out.split('\n')[0]).toBe('before');
    expect(out.split('\n')[5]).toBe('after');
  });

  it('redacts an unterminated private key to the end of the text', () => {
    const out = redactSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    expect(out).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });

  it('is robust to ANSI colour codes in the middle of a token', () => {
    // Prepare
    const token = `ghp_${A36}`;
    const coloured = `token ${token.slice(0, 10)}\x1b[31m${token.slice(10, 20)}\x1b[0m${token.slice(20)} end`;
    // Act
    const out = redactSecrets(coloured);
    // Assert
    expect(out).toBe('token [REDACTED:github-token] end');
  });

  it('leaves ordinary log text alone', () => {
    const text = 'FAIL src/a.test.ts > adds 1 + 2 (expected 3, got 4) in 12ms at commit 8c1f2e7';
    expect(redactSecrets(text)).toBe(text);
  });

  it('throws RedactionError when it cannot run', () => {
    expect(() => redactSecrets(42 as unknown as string)).toThrow(RedactionError);
  });
});

describe('fail closed', () => {
  it('withholds every line when the redactor fails', () => {
    // Prepare
    const failing = (): string => {
      throw new RedactionError('engine down');
    };
    // Act
    const out = redactLines(['secret=abc12345', 'plain'], failing);
    // Assert
    expect(out).toEqual([WITHHELD_TEXT, WITHHELD_TEXT]);
  });

  it('withholds when the redactor changes the number of lines', () => {
    expect(redactLines(['a', 'b'], () => 'a')).toEqual([WITHHELD_TEXT, WITHHELD_TEXT]);
  });

  it('redacts failure lines, context and evidence in analyses', async () => {
    // Prepare
    const token = `ghp_${A36}`;
    const log = [
      '##[group]Run ./deploy.sh',
      `curl -H "Authorization: token ${token}" https://api.github.com/repos/acme/app`,
      `fatal: unable to access 'https://x:${token}@github.com/acme/app.git/': Could not resolve host: github.com`,
      `debug GITHUB_TOKEN=${token}`,
      '##[error]Process completed with exit code 128.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.length).toBeGreaterThan(0);
    expect(JSON.stringify(analysis)).not.toContain(token);
    expect(analysis.evidence?.text).toContain('[REDACTED');
  });
});

describe('secrets glued to their surroundings, and in step names', () => {
  const akia = `AKIA${'Z7Q2K9L4M1N8P3R6'}`;
  const jwt = `eyJ${'hbGciOiJIUzI1NiJ9'}.eyJ${'zdWIiOiIxMjM0NTY3ODkwIn0'}.${'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'}`;

  it.each([
    ['behind a JSON-escaped line break', String.raw`{"msg":"creds:\n${akia}\n"}`, akia],
    ['behind a JSON-escaped tab', String.raw`"auth":"x\t${jwt}"`, jwt],
    ['behind a URL-encoded character', `GET /?k%3D${akia}&x=1`, akia],
    ['followed by an underscore and a suffix', `cache key ghp_${A36}_linux`, `ghp_${A36}`],
    ['glued to a word in front (a JWT)', `session${jwt}`, jwt],
    ['a URL password holding @', 'https://user:p@ss-w0rd@host.example/', 'p@ss-w0rd'],
    ['a base64 URL password holding /', 'REDIS_URL=redis://:Qm9/yZWQ+Zm9vYmFyX2Jheg==@cache:6379/0', 'Qm9/yZWQ+Zm9vYmFyX2Jheg=='],
    ['a base64 URL password holding / behind a user', 'mongodb+srv://app:k7/Pq2+Zx9Lm4Wv8Rt0=@cluster0.ab1cd.mongodb.net/shop', 'k7/Pq2+Zx9Lm4Wv8Rt0='],
    ['a base64 URL password holding / before a compose service name', 'REDIS_URL=redis://:k7/Pq2+Zx9Lm4Wv8Rt0=@cache', 'k7/Pq2+Zx9Lm4Wv8Rt0='],
    ['a base64 URL password holding / before an IPv4 host', 'redis://:k7/Pq2Zx9Lm4Wv8Rt0aB3@10.0.0.5:6379/0', 'k7/Pq2Zx9Lm4Wv8Rt0aB3'],
    ["a password after 'is:'", 'DB password is: Winter2024!', 'Winter2024!'],
  ])('redacts a secret %s', (_, text, secret) => {
    // Act
    const out = redactSecrets(text);

    // Assert
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:');
    expect(out).not.toContain('\uE000');
  });

  it.each([
    ['an image digest behind a registry port', 'docker://registry.local:5000/team/api@sha256:0f3c9a'],
    ['a git ref behind an scp-style path', 'pip install git+ssh://github.com:acme/tool.git@v1.2.3'],
    ['a long path and revision behind a host', 'svn checkout svn+ssh://svn.example.org:trunk/src/main/java@1234'],
    ['a path and branch behind an scp-style host', 'pip install git+ssh://git.example.org:MyOrganization/my-repository@main'],
    ['a mixed-case path with digits and a release ref', 'pip install git+ssh://github.com:AcmeCorp/Svc42Api@release-7'],
    ['a bucket path and a region', 'aws s3 sync s3://bucket:Data2024/Export_Q3/Batch7@us-east-1 .'],
    ['a version behind an IPv6 host and port', 'curl http://[::1]:8080/npm/pkg@1.2.3'],
    ['a scope behind an IPv6 host', 'npm install http://[fe80::1]:4873/@scope/pkg'],
  ])('leaves a URL alone when what follows its colon is %s', (_, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('leaves escapes and encoded characters around ordinary text as they were', () => {
    // Prepare
    const text = String.raw`{"msg":"line one\nline two\tend"} GET /search?q=a%20b%3Dc`;

    // Act / Assert
    expect(redactSecrets(text)).toBe(text);
  });

  it("redacts the step name taken from a step's run command", async () => {
    // Prepare
    const log = [
      `2024-01-01T00:00:02.0000000Z ##[group]Run AWS_ACCESS_KEY_ID=${akia} DB_URL=postgres://app:S3cr3tPw@db npm test`,
      '2024-01-01T00:00:02.0000000Z FAIL src/a.test.js',
      '2024-01-01T00:00:02.0000000Z   ● suite › adds',
      '2024-01-01T00:00:02.0000000Z     expect(received).toBe(expected)',
      '2024-01-01T00:00:03.0000000Z ##[error]Process completed with exit code 1.',
    ].join('\n');

    // Act
    const analysis = await analyzeLog(log);

    // Assert
    expect(analysis.step?.name).toContain('[REDACTED:');
    expect(JSON.stringify(analysis)).not.toContain(akia);
    expect(JSON.stringify(analysis)).not.toContain('S3cr3tPw');
  });
});

/** Two lines of a (made-up) RSA key's body. */
const KEY_BODY = ['MIIEowIBAAKCAQEA1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0u1v2w3x4y5z6', 'Qw9xZ8yV7uT6sR5qP4oN3mL2kJ1iH0gF9eD8cB7aA6zY5xW4vU3tS2rQ1pO0nM9lK8jI'];

function expectNoKeyBody(analysis: unknown): void {
  const text = JSON.stringify(analysis);
  for (const line of KEY_BODY) expect(text).not.toContain(line.slice(0, 20));
}

describe('a private key BEGIN line with no key after it', () => {
  it('does not blank the rest of the log: the failure after a grep hit for the header is found', async () => {
    // Prepare
    const log = [
      'tests/fixtures/test_ssh.py:12:    KEY_HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----"',
      '============================= test session starts ==============================',
      '___________________________________ test_divide ___________________________________',
      '    def test_divide():',
      '>       assert 4 / 2 == 3',
      'E       assert 2.0 == 3',
      'tests/test_math.py:9: AssertionError',
      '=========================== 1 failed in 0.12s ===========================',
    ].join('\n');

    // Act
    const analysis = await analyzeLog(log);

    // Assert
    expect(analysis.evidence?.text).toContain('assert 2.0 == 3');
  });

  it('still blanks every line of a real key, quoted in source code too', async () => {
    // Prepare
    const log = [
      'KEY = ("-----BEGIN RSA PRIVATE KEY-----\\n"',
      ...KEY_BODY.map((line) => `       "${line}\\n"`),
      '       "-----END RSA PRIVATE KEY-----")',
      'Error: the deploy key was rejected',
    ].join('\n');

    // Act
    const analysis = await analyzeLog(log, { contextLines: 10 });

    // Assert
    expectNoKeyBody(analysis);
  });
});

describe('the cut of a stored line', () => {
  it('drops a token the cut would split instead of keeping its first half', async () => {
    // Prepare
    const token = `ghp_${A36}`;
    const line = `Error: push failed for remote ${'x'.repeat(450)} ${token} more`;

    // Act
    const analysis = await analyzeLog(line);

    // Assert
    expect(JSON.stringify(analysis)).not.toContain('ghp_');
    expect(analysis.evidence?.text.endsWith('…')).toBe(true);
  });
});

describe('URL-encoded signatures and prefixed keys (review of session 15)', () => {
  it('redacts a whole SAS signature and security token holding %2B, %2F and %3D', () => {
    // Prepare
    const sig = 'Ab%2BCdEfGhIjKlMnOpQrStUvWxYz0123456789abcDEF%3D';
    const token = 'IQoJb3JpZ2luX2VjEJr%2FsecretPartAAAAAAAA%2BmoreSecretBBBBBBB';

    // Act
    const out = redactSecrets(`GET https://a.blob.core.windows.net/c?sv=2022-11-02&sig=${sig} https://b.s3.amazonaws.com/k?X-Amz-Security-Token=${token}&x=1`);

    // Assert
    expect(out).not.toContain('CdEfGh');
    expect(out).not.toContain('moreSecret');
  });

  it('blanks the body of a key whose lines carry a prefix (docker compose, timestamps)', async () => {
    // Prepare
    const log = ['web-1  | -----BEGIN RSA PRIVATE KEY-----', ...KEY_BODY.map((line) => `web-1  | ${line}`), 'web-1  | -----END RSA PRIVATE KEY-----', 'web-1  | Error: the deploy key was rejected'].join('\n');

    // Act
    const analysis = await analyzeLog(log, { contextLines: 10 });

    // Assert
    expectNoKeyBody(analysis);
  });

  it.each([
    ['Turborepo', 'web:build: ', '@acme/ui:test:unit: PASS src/button.test.ts'],
    ['docker compose', 'web-1  | ', 'api-1  | GET /health 200'],
  ])('blanks the body of a key when a line of another %s task comes between its BEGIN line and its body', async (_runner, prefix, other) => {
    // Prepare: parallel tasks print interleaved, each line under its own task's prefix.
    const log = [
      `${prefix}-----BEGIN RSA PRIVATE KEY-----`,
      other,
      ...KEY_BODY.map((line) => `${prefix}${line}`),
      `${prefix}-----END RSA PRIVATE KEY-----`,
      `${prefix}Error: the deploy key was rejected`,
    ].join('\n');

    // Act
    const analysis = await analyzeLog(log, { contextLines: 10 });

    // Assert
    expectNoKeyBody(analysis);
    expect(JSON.stringify(analysis)).toContain('the deploy key was rejected');
  });
});

describe('secrets in escaped and encoded forms (attack pass 8), and what stays', () => {
  it('redacts a URL-encoded URL encoded twice, and a token after an escaped quote', () => {
    // Prepare
    const password = 'Qz7!vB3#kP9@wL2m';
    const twice = encodeURIComponent(encodeURIComponent(`postgres://ci:${password}@db.example.com:5432/app`));

    // Act
    const out = redactSecrets(`redirect=${twice} and {\\"api_token\\": \\"${A36}\\"}`);

    // Assert
    expect(out).not.toContain(encodeURIComponent(encodeURIComponent(password)));
    expect(out).not.toContain(A36);
    expect(out).toContain('[REDACTED:url-encoded-secret]');
  });

  it('redacts every session cookie of a Cookie header, also after one an earlier pattern redacted', () => {
    // Prepare
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaS1ib3QifQ.${A36}`;
    const sid = 'Zt4Wq8Lm2Np6Rv0Xk3Hc';

    // Act
    const out = redactSecrets(`> Cookie: access=${jwt}; sid=${sid}; theme=dark`);

    // Assert
    expect(out).toBe('> Cookie: access=[REDACTED:jwt]; sid=[REDACTED:cookie]; theme=dark');
  });

  it.each([
    ['a URL-encoded query without credentials', 'GET /search?q=build%20failed%3A%20exit%20code%202&next=https%3A%2F%2Fci.example.com%2Fjobs%2F42 200'],
    ['cookies that are not credentials', '> Cookie: theme=dark; locale=en-US; consent=true'],
    ['Set-Cookie attributes', '< Set-Cookie: lang=en; Path=/; Domain=.example.com; Max-Age=3600; HttpOnly'],
    ['a Ruby hash without secrets', 'Parameters: {"utf8"=>"✓", "commit"=>"Update", "id"=>"42"}'],
    ['a templated XML password', '  <password>${env.NEXUS_PASSWORD}</password>'],
    ['an XML element named like a key holding a variable', '<token>${{ secrets.DEPLOY_TOKEN }}</token>'],
    ['a Go DSN without a password', 'dsn=app@tcp(db:3306)/shop?parseTime=true'],
    ['a version and a time with a colon before an @', 'image: app:1.2.3@sha256 at 12:30:45'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('secrets inside base64', () => {
  const ghp = `ghp_${A36}`;
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  it.each([
    ['a Kubernetes .dockerconfigjson', `  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'ghcr.io': { username: 'ci', password: ghp } } }))}`],
    ['a *_B64 variable holding user:token', `CREDS_B64=${b64(`ci:${ghp}`)}`],
    ['base64url', `cred=${Buffer.from(`ci:${ghp}`).toString('base64url')}`],
    ['base64 inside base64 (the auth field of a docker config)', `config: ${b64(JSON.stringify({ auths: { 'r.io': { auth: b64(`ci:${ghp}`) } } }))}`],
    ['an encoded export line', `$(base64 --decode <<< "${b64(`export DEPLOY_PASSWORD=Winter2024!x`)}")`],
  ])('redacts the whole run: %s', (_, text) => {
    // Act
    const out = redactSecrets(text);

    // Assert
    expect(out).toContain('[REDACTED:base64-secret]');
    expect(out).not.toMatch(/[A-Za-z0-9+/_-]{24,}/);
  });

  it.each([
    ['base64 of ordinary text', `MESSAGE=${b64('the build finished with two warnings and no errors')}`],
    ['base64 of random bytes (a checksum)', `integrity sha512-${Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256)).toString('base64')}`],
    ['a path', 'at /home/runner/work/ShopService/ShopService/node_modules/SomePackage/index.js:10'],
    ['a long identifier', 'ReferenceError: AbstractSingletonProxyFactoryBeanImpl is not defined'],
  ])('leaves alone %s', (_, text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps the line count and redacts only the run that holds the secret', () => {
    // Prepare
    const text = [`A=${b64('nothing secret in this one, just words')}`, `B=${b64(`token ${ghp}`)}`, 'C=done'].join('\n');

    // Act
    const out = redactSecrets(text).split('\n');

    // Assert
    expect(out).toEqual([`A=${b64('nothing secret in this one, just words')}`, 'B=[REDACTED:base64-secret]', 'C=done']);
  });

  it('redacts the whole of a long run whose secret is at its start', () => {
    // Prepare
    const run = b64(`password: ${ghp}\n${'x'.repeat(40_000)}`);

    // Act / Assert
    expect(redactSecrets(`blob ${run}`)).toBe('blob [REDACTED:base64-secret]');
  });

  it('decodes every run of a line, however many', () => {
    // Prepare
    const secret = b64(`ci:${ghp}`);
    const line = Array.from({ length: 100 }, () => secret).join(' ');

    // Act / Assert
    expect(redactSecrets(line)).toBe(Array.from({ length: 100 }, () => '[REDACTED:base64-secret]').join(' '));
  });

  it(`withholds unread a run past the first ${BASE64_MAX_CHARS_PER_LINE} characters of base64 on a line, and counts again on the next line`, () => {
    // Prepare: a run of plain words that takes all but 20 characters of the line's budget.
    const words = 'the build finished with two warnings and no errors ';
    const decoy = b64(words.repeat(Math.ceil(BASE64_MAX_CHARS_PER_LINE / (words.length * 4 / 3)))).slice(0, BASE64_MAX_CHARS_PER_LINE - 20);
    const secret = b64(`ci:${ghp}`);

    // Act
    const [first, second] = redactSecrets(`${decoy} ${secret}\nagain ${secret}`).split('\n');

    // Assert
    expect(first).toBe(`${decoy} [REDACTED:base64-unread]`);
    expect(second).toBe('again [REDACTED:base64-secret]');
  });

  it('keeps base64 of a random digest, which decodes to one random base64 line and not to a key', () => {
    // Prepare: a sha512 digest in base64, encoded once more (checksum files, OCI annotations do this).
    const digest = 'q1MKdOVzZ8P3l0fTn1Ysb2k9Hh3cY7a4rW6eX0uJmQvLpN5sE8tA2gB4iC6oD8fG0hJ2kL4mN6pQ8rS0tU2vW4xY6zA==';
    const line = `checksum: ${b64(digest)}`;

    // Act / Assert
    expect(redactSecrets(line)).toBe(line);
  });

  it('reads each decoded run on its own, though the runs of a text are redacted together', () => {
    // Prepare: a key header with no END line, whose block would run on into the next run's text if the two were
    // read as one; a flag that starts its text; a digest beside a text that names a private key.
    const digest = 'q1MKdOVzZ8P3l0fTn1Ysb2k9Hh3cY7a4rW6eX0uJmQvLpN5sE8tA2gB4iC6oD8fG0hJ2kL4mN6pQ8rS0tU2vW4xY6zA==';
    const runs = [
      b64('deploy key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3d4e5f6'),
      b64(`ci:${ghp}`),
      b64('--password Winter2024!deploy'),
      b64('the build finished with two warnings and no errors'),
      b64('rotate the PRIVATE KEY every 90 days'),
      b64(digest),
    ];

    // Act
    const out = redactSecrets(runs.join(' ')).split(' ');

    // Assert
    expect(out).toEqual(['[REDACTED:base64-secret]', '[REDACTED:base64-secret]', '[REDACTED:base64-secret]', runs[3], runs[4], runs[5]]);
  });

  it('counts only runs that can be base64 against the budget, so decoy words cannot use it up', () => {
    // Prepare: 24+ letters of one case are no base64 run of text.
    const decoys = 'abcdefghijklmnopqrstuvwxyz '.repeat(Math.ceil(BASE64_MAX_CHARS_PER_LINE / 26)).trim();

    // Act / Assert
    expect(redactSecrets(`${decoys} ${b64(`ci:${ghp}`)}`)).toBe(`${decoys} [REDACTED:base64-secret]`);
  });
});

describe('base64 the decoder used to miss (review of the base64 pass)', () => {
  const ghp = `ghp_${A36}`;
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const awsId = `AKIA${'Z7Q2K9L4M1N8P3R6'}`;
  const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'.slice(0, 40);

  /** Bytes no one would take for text, the same on every run. */
  const noise = (length: number, seed = 0x9e3779b9): Buffer => seededBytes(seed)(length);

  /** A tar archive of one file, as `tar c .env | base64 -w0` prints it: a 512-byte header of mostly NULs, then the file. */
  function tarOf(name: string, content: string): Buffer {
    const header = Buffer.alloc(512);
    header.write(name, 0, 'latin1');
    header.write('0000644\0', 100, 'latin1');
    header.write('0001750\0', 108, 'latin1');
    header.write('0001750\0', 116, 'latin1');
    header.write(`${Buffer.byteLength(content).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    header.write('14671406750\0', 136, 'latin1');
    header.write('        ', 148, 'latin1');
    header.write('0', 156, 'latin1');
    header.write('ustar\x0000', 257, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const body = Buffer.alloc(Math.ceil(Buffer.byteLength(content) / 512) * 512);
    body.write(content, 0, 'utf8');
    return Buffer.concat([header, body, Buffer.alloc(1024)]);
  }

  /**
   * A zip holding one file: local header, name, data, central directory. Stored without compression (`zip -0`), or
   * deflated as `zip` does by default.
   */
  function zipOf(name: string, content: string, method: 'stored' | 'deflated' = 'stored'): Buffer {
    const plain = Buffer.from(content);
    const data = method === 'stored' ? plain : deflateRawSync(plain);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(method === 'stored' ? 10 : 20, 4);
    local.writeUInt16LE(method === 'stored' ? 0 : 8, 8);
    local.writeUInt16LE(0x5a21, 10);
    local.writeUInt16LE(0x5927, 12);
    local.writeUInt32LE(crc32(plain), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(plain.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(method === 'stored' ? 10 : 20, 6);
    central.writeUInt16LE(method === 'stored' ? 0 : 8, 10);
    central.writeUInt32LE(crc32(plain), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(plain.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0x81a40000, 38);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46 + name.length, 12);
    end.writeUInt32LE(30 + name.length + data.length, 16);
    return Buffer.concat([local, Buffer.from(name), data, central, Buffer.from(name), end]);
  }

  /** The line's base64 is gone, replaced because what it decodes to holds a secret. */
  function expectRedacted(text: string): void {
    const out = redactSecrets(text);
    expect(out).toContain('[REDACTED:base64-secret]');
    expect(out).not.toMatch(/[A-Za-z0-9+/]{40,}/);
  }

  it.each([
    ['a tar archive of a .env file', tarOf('.env', `NODE_ENV=production\nGITHUB_TOKEN=${ghp}\n`)],
    ['a zip holding .git-credentials, stored', zipOf('.git-credentials', `https://ci-bot:${ghp}@github.com\n`)],
    ['random bytes, then the token', Buffer.concat([noise(600), Buffer.from(`\ntoken ${ghp}\n`)])],
    ['random bytes, then an AWS key pair', Buffer.concat([noise(300), Buffer.from(`[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n`), noise(300, 7)])],
  ])('finds a secret in base64 of binary data: %s', (_, bytes) => {
    // Prepare
    const line = `ARTIFACT_B64=${bytes.toString('base64')}`;
    const decoded = bytes.toString('latin1');
    const printable = [...decoded].filter((c) => /[\x20-\x7e\t\n\r]/.test(c)).length;
    expect(printable / decoded.length).toBeLessThan(0.9);

    // Act / Assert
    expectRedacted(line);
  });

  it.each([
    ['a PowerShell -EncodedCommand', (b: string) => `powershell.exe -NoProfile -EncodedCommand ${b}`, `$env:GH_TOKEN = '${ghp}'; gh release upload v1.2.0 dist/app.zip`],
    ['[Convert]::ToBase64String of Unicode bytes', (b: string) => `CREDS_B64=${b}`, `ci-bot:${ghp}`],
    ['a UTF-16 file with a byte order mark, encoded whole', (b: string) => b, `\uFEFF[default]\r\naws_access_key_id=${awsId}\r\naws_secret_access_key=${awsSecret}\r\n`],
  ])('finds a secret in base64 of UTF-16LE text: %s', (_, line, text) => {
    // Act / Assert
    expectRedacted(line(Buffer.from(text, 'utf16le').toString('base64')));
  });

  const dotEnv = `NODE_ENV=production\nGITHUB_TOKEN=${ghp}\n`;
  const awsCredentials = `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n`;
  const prose = 'the build step ran the tests and the linter on every package of the workspace before it packed the release\n'.repeat(8);

  it.each([
    ['gzip of a .env file (`gzip -c .env | base64 -w0`)', gzipSync(dotEnv)],
    ['a .tar.gz of a .env file', gzipSync(tarOf('.env', dotEnv))],
    ['a zip holding .git-credentials, deflated', zipOf('.git-credentials', `https://ci-bot:${ghp}@github.com\n`, 'deflated')],
    ['a zlib stream (`openssl zlib`, Python\'s zlib.compress) of an AWS credentials file', deflateSync(awsCredentials)],
    ['the second of two gzip files one after the other (`cat a.gz b.gz`)', Buffer.concat([gzipSync('build: ok\n'.repeat(40)), gzipSync(dotEnv)])],
    ['the first part of a gzip file, cut short', gzipSync(`${dotEnv}${noise(20_000).toString('base64')}`).subarray(0, 200)],
    ['a gzip file behind other bytes (a header of its own, a self-extracting script)', Buffer.concat([noise(300), gzipSync(dotEnv)])],
    // Zstandard stores a short text's bytes as they are (the reader of strings in bytes finds those); with a page of
    // prose before it, its letters are entropy-coded and only decompressing shows the secret.
    ['Zstandard of a notes file and a .env file (`zstd -c | base64 -w0`)', zstdCompressSync(`${prose}${dotEnv}`)],
    ['a .tar.zst of a .env file', zstdCompressSync(tarOf('.env', `${prose}${dotEnv}`))],
    ['the second of two Zstandard frames one after the other', Buffer.concat([zstdCompressSync('build: ok\n'.repeat(40)), zstdCompressSync(`${dotEnv}${prose}`)])],
    ['a Zstandard frame behind other bytes', Buffer.concat([noise(300), zstdCompressSync(`${prose}${awsCredentials}`)])],
  ])('finds a secret in base64 of compressed data: %s', (_, bytes) => {
    // Prepare: nothing of the secret can be read from the compressed bytes themselves.
    expect(bytes.toString('latin1')).not.toContain('ghp_');
    expect(bytes.toString('latin1')).not.toContain(awsId);

    // Act / Assert
    expectRedacted(`ARTIFACT_B64=${bytes.toString('base64')}`);
  });

  it('keeps base64 of compressed data that holds no secret, and of random bytes that only start like compressed data', () => {
    // Prepare
    const lines = [
      `REPORT_GZ=${gzipSync('PASS src/app.test.ts\nTests: 12 passed, 12 total\n'.repeat(20)).toString('base64')}`,
      `BLOB=${Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), noise(400)]).toString('base64')}`,
      `BLOB=${Buffer.concat([Buffer.from([0x78, 0x9c]), noise(400, 3)]).toString('base64')}`,
      `BLOB=${Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), noise(400, 5)]).toString('base64')}`,
      `REPORT_ZST=${zstdCompressSync('PASS src/app.test.ts\nTests: 12 passed, 12 total\n'.repeat(20)).toString('base64')}`,
      `BLOB=${Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), noise(400, 7)]).toString('base64')}`,
    ];

    // Act / Assert
    for (const line of lines) expect(redactSecrets(line)).toBe(line);
  });

  it('withholds compressed data that would inflate past the redaction\'s allowance unread (a compression bomb)', () => {
    // Prepare: 64 MB of zeros, and the token after them, in 64 KB of gzip.
    const bomb = gzipSync(Buffer.concat([Buffer.alloc(64 << 20), Buffer.from(dotEnv)]));
    expect(bomb.length).toBeLessThan(BASE64_MAX_CHARS_PER_LINE / 2);

    // Act
    const out = redactSecrets(`ARTIFACT_B64=${bomb.toString('base64')} done`);

    // Assert
    expect(out).toBe('ARTIFACT_B64=[REDACTED:base64-unread] done');
  });

  it('withholds a Zstandard frame that would decompress past the allowance unread', () => {
    // Prepare: 64 MB of zeros, and the token after them, in a few KB of zstd.
    const bomb = zstdCompressSync(Buffer.concat([Buffer.alloc(64 << 20), Buffer.from(dotEnv)]));
    expect(bomb.length).toBeLessThan(BASE64_MAX_CHARS_PER_LINE / 2);

    // Act
    const out = redactSecrets(`ARTIFACT_B64=${bomb.toString('base64')} done`);

    // Assert
    expect(out).toBe('ARTIFACT_B64=[REDACTED:base64-unread] done');
  });

  it('spends the whole allowance on the first Zstandard frame past it: every run after it is withheld, each in its place', () => {
    // Prepare: 2,000 lines, each 64 KB of zeros in 28 characters of base64. Each frame that was read again would cost
    // as much as was left: the allowance (16 KB and a byte a character, ~100 KB) covers the first.
    const bomb = zstdCompressSync(Buffer.alloc(1 << 16)).toString('base64');
    const log = Array.from({ length: 2000 }, (_, i) => `chunk=${bomb} part-${i}`);
    expect(bomb.length).toBeLessThan(40);

    // Act
    const out = redactSecrets(log.join('\n')).split('\n');

    // Assert
    expect(out[0]).toBe(log[0]);
    expect(out.slice(1)).toEqual(log.slice(1).map((_, i) => `chunk=[REDACTED:base64-unread] part-${i + 1}`));
  });

  it.each([
    ['a 65th gzip member (`cat` of 65 .gz files)', () => Buffer.concat([...Array.from({ length: 64 }, () => gzipSync('ok\n')), gzipSync(dotEnv)])],
    ['a 65th deflated zip entry', () => Buffer.concat([...Array.from({ length: 64 }, (_, i) => zipOf(`f${i}.txt`, `file ${i}\n`, 'deflated').subarray(0, 30 + `f${i}.txt`.length + deflateRawSync(`file ${i}\n`).length)), zipOf('.env', dotEnv, 'deflated')])],
  ])('withholds unread compressed data with more streams than are inflated, not shows it: %s', (_, bytes) => {
    // Act
    const out = redactSecrets(`ARTIFACT_B64=${bytes().toString('base64')} done`);

    // Assert
    expect(out).toBe('ARTIFACT_B64=[REDACTED:base64-unread] done');
  });

  it('inflates in proportion to the text redacted: a log of small bombs is withheld past the allowance', () => {
    // Prepare: 2,000 lines, each 64 KB of zeros in 128 characters of base64 (and a word after it, so the lines are
    // not read as one wrapped blob): inflating them all would be 128 MB for 300 KB.
    const bomb = gzipSync(Buffer.alloc(1 << 16)).toString('base64');
    const log = Array.from({ length: 2000 }, (_, i) => `chunk=${bomb} part-${i}`);
    expect(log.join('\n').length).toBeLessThan(320_000);

    // Act
    const out = redactSecrets(log.join('\n')).split('\n');

    // Assert: the allowance (16 KB and a byte a character, ~300 KB) covers the first four lines, in order; the
    // others are withheld, each in its place.
    expect(out).toHaveLength(2000);
    expect(out.slice(0, 4)).toEqual(log.slice(0, 4));
    expect(out.slice(4)).toEqual(log.slice(4).map((_, i) => `chunk=[REDACTED:base64-unread] part-${i + 4}`));
  });

  it('keeps a short text cheap: a line of one small bomb is withheld after 16 KB', () => {
    // Prepare: one line, as a logged field or a check run's summary is redacted alone: 64 KB in 200 characters.
    const line = `payload=${gzipSync(Buffer.concat([Buffer.alloc(1 << 16), Buffer.from(dotEnv)])).toString('base64')}`;
    expect(line.length).toBeLessThan(300);

    // Act / Assert
    expect(redactSecrets(line)).toBe('payload=[REDACTED:base64-unread]');
  });

  it('finds a secret in gzip wrapped over lines (`gzip -c .env | base64`, 76 columns)', () => {
    // Prepare
    const lines = gzipSync(`${'# settings for the staging deploy\n'.repeat(6)}${dotEnv}`).toString('base64').match(/.{1,76}/g) ?? [];
    expect(lines.length).toBeGreaterThan(1);
    const text = ['Run cat env.b64', ...lines.map((line) => `app-1  | ${line}`), 'Error: Process completed with exit code 1.'].join('\n');

    // Act
    const out = redactSecrets(text);

    // Assert
    expect(out.split('\n').slice(1, -1)).toEqual(lines.map(() => 'app-1  | [REDACTED:base64-secret]'));
  });

  it('finds a secret 20,000 characters into one run (a base64 config file with a CA bundle)', () => {
    // Prepare
    const caLines = Array.from({ length: 240 }, (_, i) => noise(48, i + 1).toString('base64'));
    const config = JSON.stringify({ ca: `-----BEGIN CERTIFICATE-----\n${caLines.join('\n')}\n-----END CERTIFICATE-----\n`, server: 'https://k8s.example.internal', token: ghp });
    const run = Buffer.from(config).toString('base64');
    expect(Buffer.from(config).indexOf(ghp)).toBeGreaterThan((20_000 / 4) * 3);

    // Act / Assert
    expectRedacted(`KUBECONFIG_B64=${run}`);
  });

  /** `prefix` as line `line` shows it: a `#` in it is the line number's last digit (a timestamp's seconds). */
  const linePrefix = (prefix: string, line: number): string => prefix.replace('#', String(line % 10));

  /**
   * `base64` of `text` wrapped at `width` columns, each line behind `prefix`, and the indexes of the lines that
   * carry a byte of `secret`.
   */
  function wrapped(text: string, secret: string, width: number, prefix = ''): { lines: string[]; carrying: number[] } {
    const encoded = Buffer.from(text).toString('base64');
    const lines: string[] = [];
    for (let at = 0; at < encoded.length; at += width) lines.push(linePrefix(prefix, lines.length) + encoded.slice(at, at + width));
    const bytesPerLine = (width / 4) * 3;
    const first = Buffer.byteLength(text.slice(0, text.indexOf(secret)));
    const last = first + Buffer.byteLength(secret) - 1;
    const carrying: number[] = [];
    for (let line = Math.floor(first / bytesPerLine); line <= Math.floor(last / bytesPerLine); line++) carrying.push(line);
    return { lines, carrying };
  }

  /** Leading text that puts the token across a line break, `offset` bytes before the end of a wrapped line. */
  const pad = (bytesPerLine: number, before: string, offset: number): string => 'x'.repeat((bytesPerLine - ((Buffer.byteLength(before) + offset) % bytesPerLine)) % bytesPerLine);

  it.each([
    [
      'GNU base64 (76 columns) of a .env file, the token across the last break',
      76,
      '',
      (p: string) => `# deploy settings ${p}\nREGION=eu-west-1\nGITHUB_TOKEN=${ghp}\n`,
    ],
    [
      'openssl base64 (64 columns) of .git-credentials behind a docker compose prefix',
      64,
      'app-1  | ',
      (p: string) => `# ${p}\nhttps://ci-bot:${ghp}@github.com\n`,
    ],
    [
      'GNU base64 of a .npmrc behind Jenkins timestamps',
      76,
      '[2024-05-01T10:11:1#.345Z] ',
      (p: string) => `; ${p}\n//registry.npmjs.org/:always-auth=true\n//npm.pkg.github.com/:_authToken=${ghp}\n`,
    ],
    [
      'GNU base64 of an AWS credentials file, indented under a YAML key',
      76,
      '    ',
      (p: string) => `[default] # ${p}\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n`,
    ],
  ])('redacts every line that carries part of a secret wrapped over lines: %s', (_, width, prefix, file) => {
    // Prepare: the token starts 20 bytes before a line break, so no one line holds enough of it to be recognised.
    const secret = file('').includes(ghp) ? ghp : awsSecret;
    const bytesPerLine = (width / 4) * 3;
    const head = (p: string) => file(p).slice(0, file(p).indexOf(secret));
    const text = file(pad(bytesPerLine, head(''), 20));
    const { lines, carrying } = wrapped(text, secret, width, prefix);
    expect(carrying.length).toBeGreaterThan(1);
    const log = ['Run echo "$SETTINGS" | base64', ...lines, 'Error: deploy failed'].join('\n');

    // Act
    const out = redactSecrets(log).split('\n');

    // Assert: the blob is one run wrapped, and replaced whole, line by line.
    expect(out).toEqual(['Run echo "$SETTINGS" | base64', ...lines.map((_, line) => `${linePrefix(prefix, line)}[REDACTED:base64-secret]`), 'Error: deploy failed']);
  });

  it('reads each line alone too: values encoded one by one can look wrapped, and joined they glue together', () => {
    // Prepare: a service prints `printf %s "$V" | base64` for two values: 42 bytes (56 characters, no padding), then a token.
    const first = b64('deploy-target-eu-west-1-cluster-7f3a9b2c1d');
    const second = b64(ghp);
    expect(first).toHaveLength(second.length);

    // Act / Assert
    expect(redactSecrets(`app-1  | ${first}\napp-1  | ${second}`)).toBe(`app-1  | ${first}\napp-1  | [REDACTED:base64-secret]`);
  });

  it('leaves a wrapped blob that holds no secret as it was', () => {
    // Prepare
    const notes = 'Release notes: the build now caches node_modules between jobs and retries flaky downloads twice.\n'.repeat(3);
    const lines = (Buffer.from(notes).toString('base64').match(/.{1,76}/g) ?? []).map((line) => `app-1  | ${line}`);

    // Act / Assert
    expect(redactSecrets(lines.join('\n'))).toBe(lines.join('\n'));
  });

  it('does not join the lines an excerpt leaves out: a token that ends the last line shown of a block is found', async () => {
    // Prepare: a failing test prints its container's log, where a deploy script is printed in base64, 76 columns,
    // over 400 lines. The excerpt shows the first lines of the block and the context after its end; a Netlify token
    // ends the last line shown, and the bytes on every line after it are letters, so reading the lines on both
    // sides of the gap as one would glue letters to the token.
    const token = `nfp_${A36}`;
    const bytesPerLine = 57;
    const command = `netlify deploy --prod --auth ${token}`;
    let script = '';
    for (let step = 0; script.length + 40 < 36 * bytesPerLine - command.length; step++) script += `echo step ${String(step).padStart(3, '0')}\n`;
    script += `${'#'.repeat(37 * bytesPerLine - command.length - script.length - 1)}\n${command}\n${'deploy'.repeat(3800)}`;
    const blob = Buffer.from(script).toString('base64').match(/.{1,76}/g) ?? [];
    const log = ['FAIL src/deploy.test.js', '  ● deploy › runs the script', '', '    expect(received).toBe(expected)', '', ...blob.map((line) => `app-1  | ${line}`), '', 'Tests: 1 failed'];

    // Act
    const analysis = await analyzeLog(log.join('\n'));

    // Assert: the excerpt has a gap, and the line that ends with the token is not shown as it was.
    const shown = [...(analysis.failures[0]?.lines ?? []), ...(analysis.failures[0]?.context ?? [])].map((line) => line.line).sort((a, b) => a - b);
    expect(shown.some((line, i) => i > 0 && line > (shown[i - 1] as number) + 1)).toBe(true);
    expect(JSON.stringify(analysis)).not.toContain(blob[36]);
  });

  describe('a wrapped blob cut by the edge of an excerpt', () => {
    const credentials = `https://ci-bot:${ghp}@github.com\n`;
    const bytesPerLine = 57;

    /**
     * A service's settings file whose token starts `before` bytes ahead of the end of wrapped line `line` (76
     * columns), `length` bytes in all.
     */
    function settingsWithTokenAcross(line: number, before: number, length: number): string {
      const headLength = line * bytesPerLine - before - credentials.indexOf('ghp_');
      let head = '';
      for (let i = 0; head.length + 40 < headLength; i++) head += `setting_${String(i).padStart(3, '0')}=value-${i}\n`;
      head += `#${'-'.repeat(headLength - head.length - 2)}\n`;
      let tail = '';
      for (let i = 0; head.length + credentials.length + tail.length < length; i++) tail += `more_${i}=x\n`;
      return (head + credentials + tail).slice(0, length);
    }

    const wrap = (text: string): string[] => Buffer.from(text).toString('base64').match(/.{1,76}/g) ?? [];
    /** What the shown lines of a blob decode to, read one by one (each starts on a whole number of bytes). */
    const decodedRuns = (texts: readonly string[]): string => texts.map((text) => Buffer.from(text.replace(/^app-1 {2}\| /, ''), 'base64').toString('latin1')).join('');
    const shownLines = (analysis: { failures: Array<{ lines: Array<{ line: number; text: string }>; context: Array<{ line: number; text: string }> }> }) =>
      [...(analysis.failures[0]?.lines ?? []), ...(analysis.failures[0]?.context ?? [])].sort((a, b) => a.line - b.line);

    const notes = 'Release notes: the build now caches node_modules between jobs and retries flaky downloads twice.\n'.repeat(3);
    const notesLines = wrap(notes).map((line) => `app-1  | ${line}`);

    it('masks the lines of a blob of text that a cut end splits, and keeps the same blob when the end is not cut', () => {
      // Prepare: the blob's full lines, without its narrower last line, and without its first line.
      const withoutLast = notesLines.slice(0, -1).join('\n');
      const withoutFirst = notesLines.slice(1).join('\n');
      const masked = (count: number) => Array.from({ length: count }, () => 'app-1  | [REDACTED:base64-partial]').join('\n');

      // Act / Assert
      expect(redactSecrets(`Run ./start.sh\n${withoutLast}`, { atStart: true, atEnd: true })).toBe(`Run ./start.sh\n${masked(notesLines.length - 1)}`);
      expect(redactSecrets(`${withoutFirst}\nError: exit 1`, { atStart: true, atEnd: true })).toBe(`${masked(notesLines.length - 1)}\nError: exit 1`);
      expect(redactSecrets(withoutLast, { atStart: false, atEnd: false })).toBe(withoutLast);
      expect(redactSecrets(withoutFirst)).toBe(withoutFirst);
    });

    it('keeps a blob whose ends are seen: a line before it that is not base64, its narrower last line', () => {
      // Prepare
      const whole = `Run ./start.sh\n${notesLines.join('\n')}`;

      // Act / Assert
      expect(redactSecrets(whole, { atStart: true, atEnd: true })).toBe(whole);
    });

    it('masks a blob of binary data only when text runs into the cut: ASCII, or UTF-16LE as Windows encodes it', () => {
      // Prepare: six lines of random bytes, then the same with a string at the end that the cut splits, and a
      // PowerShell script in UTF-16LE whose first lines the cut leaves out.
      const random = seededBytes(0x5eed)(57 * 6);
      const lines = (bytes: Buffer, prefix = 'app-1  | ') => (bytes.toString('base64').match(/.{1,76}/g) ?? []).map((line) => `${prefix}${line}`);
      const binary = lines(random).join('\n');
      const withString = lines(Buffer.concat([random.subarray(0, 57 * 5), Buffer.from(`${'\0'.repeat(28)}url=https://ci-bot:ghp_aB3dE5`)])).join('\n');
      const endingInString = lines(Buffer.concat([random.subarray(0, 57 * 5), Buffer.from(`${'\0'.repeat(23)}url=https://ci-bot:ghp_aB3dE5`)])).join('\n');
      const script = lines(Buffer.from(`$headers = @{ Authorization = "token ${ghp}" }\nInvoke-RestMethod -Headers $headers -Uri $api\n`, 'utf16le'), '2024-05-01T10:11:12.3456789Z ');

      // Act / Assert
      expect(redactSecrets(binary, { atStart: true, atEnd: true })).toBe(binary);
      expect(redactSecrets(withString, { atStart: false, atEnd: true }).split('\n').at(-1)).toBe('app-1  | [REDACTED:base64-partial]');
      expect(redactSecrets(withString, { atStart: true, atEnd: false })).toBe(withString);
      // Its last line padded, the blob ends where the text does: the end does not cut it.
      expect(redactSecrets(endingInString, { atStart: true, atEnd: true })).toBe(endingInString);
      // Lines of 57 bytes: the second starts inside a character (on its NUL), the third on a character.
      expect(redactSecrets(script.slice(1).join('\n'), { atStart: true, atEnd: false })).not.toContain(script[1]);
      expect(redactSecrets(script.slice(2).join('\n'), { atStart: true, atEnd: false })).not.toContain(script[2]);
    });

    it('masks the start of a gzip blob when what it inflates to runs into the cut, and keeps it otherwise', () => {
      // Prepare: `gzip -c settings | base64` in a service's log, shown up to a line after which the inflated text
      // ends inside the token (found by inflating each prefix of lines, as a reader of the excerpt could).
      const random = seededBytes(0x51e7);
      const settings = (count: number): string => Array.from({ length: count }, (_, i) => `key_${i}=${random(18).toString('hex')}\n`).join('');
      const lines = (gzipSync(`${settings(60)}${credentials}${settings(40)}`).toString('base64').match(/.{1,76}/g) ?? []).map((line) => `app-1  | ${line}`);
      const inflatedPrefix = (count: number): string =>
        inflateRawSync(Buffer.from(decodedRuns(lines.slice(0, count)), 'latin1').subarray(10), { finishFlush: 2 /* Z_SYNC_FLUSH */ }).toString('latin1');
      const cutInToken = lines.findIndex((_, i) => inflatedPrefix(i + 1).includes('ci-bot:ghp_') && !inflatedPrefix(i + 1).includes(ghp)) + 1;
      const beforeToken = lines.findIndex((_, i) => inflatedPrefix(i + 1).includes('key_30=')) + 1;
      expect(cutInToken).toBeGreaterThan(0);
      const shown = lines.slice(0, cutInToken).join('\n');
      const shownBeforeToken = lines.slice(0, beforeToken).join('\n');

      // Act / Assert: all of it masked when the token runs into the cut; random settings running into it mask too
      // (how far a secret reaches back is not known); the same lines are kept when the end is not cut.
      expect(redactSecrets(shown, { atStart: false, atEnd: true })).toBe(lines.slice(0, cutInToken).map(() => 'app-1  | [REDACTED:base64-partial]').join('\n'));
      expect(redactSecrets(shownBeforeToken, { atStart: false, atEnd: true })).not.toContain(lines[0]);
      expect(redactSecrets(shown, { atStart: false, atEnd: false })).toBe(shown);
    });

    it('does not take the first and last lines of a log for cut ends', async () => {
      // Prepare: a log that starts and ends with a blob of text wrapped at 76 columns, three full lines each, as
      // many as the lines of context around the error.
      const full = wrap(notes.slice(0, 57 * 3)).map((line) => `app-1  | ${line}`);
      const log = [...full, 'app-1  | Error: connect ECONNREFUSED 127.0.0.1:5432', ...full];

      // Act
      const analysis = await analyzeLog(log.join('\n'));

      // Assert: the excerpt runs from the log's first line to its last, and shows the blobs as they are.
      expect(shownLines(analysis).map((line) => line.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(shownLines(analysis).map((line) => line.text)).toEqual(log);
    });

    it('masks a blob that the last line shown of a block cuts: `ci-bot:ghp_` and 29 of 36 characters are not let out', async () => {
      // Prepare: a failing test prints its container's log, where the service prints its settings in base64. The
      // block is stored to its first 40 lines: 7 of the test's, then 33 of the blob's; the token starts 33 bytes
      // (`ghp_` and 29 characters) before the end of the 33rd.
      const blob = wrap(settingsWithTokenAcross(33, 33, 60 * bytesPerLine));
      const head = ['FAIL test/deploy.test.js', '  ● deploy › pushes the release tag', '    expect(received).toBe(expected) // Object.is equality', '    Expected: 0', '    Received: 128', '    at Object.<anonymous> (test/deploy.test.js:14:23)', '    docker compose logs app:'];
      const log = [...head, ...blob.map((line) => `app-1  | ${line}`), '', 'Tests: 1 failed, 1 total'];

      // Act
      const analysis = await analyzeLog(log.join('\n'));

      // Assert: the excerpt ends at the 33rd line of the blob, which is not shown as it was, and what is shown of
      // the blob holds no part of the token.
      const stored = analysis.failures[0]?.lines ?? [];
      expect(Math.max(...stored.map((line) => line.line))).toBe(head.length + 33);
      expect(JSON.stringify(analysis)).not.toContain(blob[32]);
      const shown = shownLines(analysis).filter((line) => line.line > head.length && line.line <= head.length + blob.length);
      expect(decodedRuns(shown.map((line) => line.text))).not.toContain('ghp_');
      expect(stored.at(-1)?.text).toBe('app-1  | [REDACTED:base64-partial]');
    });

    it('masks a blob that the first context line above a block cuts: the last 20 characters of the token are not let out', async () => {
      // Prepare: a compose service prints its settings in base64 and fails; the 3 lines of context above the error
      // are the blob's last, and the token's last 20 characters start the first of them.
      const lines = 12;
      const blob = wrap(settingsWithTokenAcross(lines - 3, ghp.length - 20, (lines - 1) * bytesPerLine + 30));
      expect(blob).toHaveLength(lines);
      const log = ['##[group]Run docker compose up --abort-on-container-exit', 'app-1  | loading settings', ...blob.map((line) => `app-1  | ${line}`), 'app-1  | Error: connect ECONNREFUSED 127.0.0.1:5432', 'app-1 exited with code 1', '##[error]Process completed with exit code 1.'];

      // Act
      const analysis = await analyzeLog(log.join('\n'));

      // Assert: the context starts at the blob's third last line, which is not shown as it was.
      const shown = shownLines(analysis);
      expect(shown[0]?.line).toBe(2 + lines - 3 + 1);
      expect(JSON.stringify(analysis)).not.toContain(blob[lines - 3]);
      expect(decodedRuns(shown.slice(0, 3).map((line) => line.text))).not.toContain(ghp.slice(-20));
    });
  });
});
