import { describe, expect, it } from 'vitest';
import { analyzeLog, looksLikeSecretValue, redactSecrets, SECRET_FORMAT_COUNT, SECRET_PATTERNS, shannonEntropy } from '../../../shared/logs/index.js';
import { seededRandom } from '../../support/random.js';

/**
 * One realistic fake value per secret format, generated from a seeded PRNG at test time: the repository carries
 * no string that a secret scanner (or GitHub push protection) would take for a live credential, and every run
 * sees the same values.
 */
const next = seededRandom(0x2f6b1d);
function random(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPERNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWERNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;
const an = (n: number) => random(ALNUM, n);
const hex = (n: number) => random(HEX, n);
const j = (...parts: string[]) => parts.join('');

interface Case {
  kind: string;
  /** The line as a log would print it; `{S}` marks where the secret goes. */
  text: string;
  secret: string;
}

const CASES: Case[] = [
  { kind: 'private-key', text: 'key: {S}', secret: j('-----BEGIN EC PRIVATE KEY-----\n', random(B64, 64), '\n', random(B64, 40), '\n-----END EC PRIVATE KEY-----') },
  { kind: 'age-secret-key', text: 'SOPS_AGE_KEY={S}', secret: j('AGE-SECRET-KEY-1', random('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)) },
  {
    kind: 'putty-private-key',
    text: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 1\n${random(B64, 64)}\nPrivate-Lines: 2\n{S}`,
    secret: j(random(B64, 64), '\n', random(B64, 24)),
  },
  { kind: 'github-token', text: 'remote: using {S}', secret: j('gh', 'p_', an(36)) },
  { kind: 'github-pat', text: 'GH_TOKEN={S}', secret: j('github', '_pat_11', random(UPPERNUM, 20), '_', an(59)) },
  { kind: 'gitlab-token', text: 'PRIVATE-TOKEN: {S}', secret: j('gl', 'pat-', random(URLSAFE, 20)) },
  { kind: 'gitlab-runner-registration', text: 'gitlab-runner register --registration-token {S}', secret: j('GR1348941', random(URLSAFE, 20)) },
  { kind: 'bitbucket-app-password', text: 'BITBUCKET {S}', secret: j('ATBB', an(32)) },
  { kind: 'atlassian-token', text: 'JIRA_API {S}', secret: j('ATATT3x', random(URLSAFE, 180)) },
  { kind: 'buildkite-token', text: 'bk {S}', secret: j('bkua_', hex(40)) },
  { kind: 'circleci-token', text: 'cci {S}', secret: j('CCIPAT_', an(22), '_', hex(40)) },
  { kind: 'sonar-token', text: 'sonar.login {S}', secret: j('sq', 'p_', hex(40)) },
  { kind: 'linear-key', text: 'LINEAR {S}', secret: j('lin', '_api_', an(40)) },
  { kind: 'aws-access-key-id', text: 'aws_access_key_id = {S}', secret: j('AK', 'IA', random(UPPERNUM, 16)) },
  { kind: 'aws-secret-access-key', text: 'aws_secret_access_key={S}', secret: random(B64, 40) },
  { kind: 'aws-session-token', text: 'AWS_SESSION_TOKEN={S}', secret: j('IQoJb3JpZ2luX2Vj', random(B64, 80)) },
  { kind: 'aws-bedrock-key', text: 'BEDROCK {S}', secret: j('ABSK', random(B64, 120)) },
  { kind: 'aws-presigned-signature', text: 'GET https://b.s3.amazonaws.com/k?X-Amz-Date=20240101T000000Z&X-Amz-Signature={S}&x=1', secret: hex(64) },
  { kind: 'google-api-key', text: 'key={S}', secret: j('AI', 'za', random(URLSAFE, 35)) },
  { kind: 'google-oauth-secret', text: 'client {S}', secret: j('GOCSPX-', random(URLSAFE, 28)) },
  { kind: 'google-oauth-token', text: 'Authorization {S}', secret: j('ya29.', random(URLSAFE, 60)) },
  { kind: 'google-refresh-token', text: 'refresh {S}', secret: j('1//0', random(URLSAFE, 60)) },
  { kind: 'firebase-fcm-key', text: 'fcm {S}', secret: j('AAAA', random(URLSAFE, 7), ':', random(URLSAFE, 140)) },
  { kind: 'azure-storage-key', text: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={S};EndpointSuffix=core.windows.net', secret: `${random(B64, 86)}==` },
  { kind: 'azure-sas-signature', text: 'https://acme.blob.core.windows.net/c/f?sv=2022-11-02&sig={S}', secret: `${random(ALNUM, 43)}%3D` },
  { kind: 'azure-connection-secret', text: 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey={S}', secret: `${random(B64, 43)}=` },
  { kind: 'azure-client-secret', text: 'AZURE {S}', secret: j(an(3), '8Q~', random(`${ALNUM}_~.-`, 34)) },
  { kind: 'alibaba-access-key-id', text: 'ALIYUN {S}', secret: j('LTAI', an(20)) },
  { kind: 'tencent-secret-id', text: 'TENCENT {S}', secret: j('AKID', an(32)) },
  { kind: 'digitalocean-token', text: 'doctl auth init -t {S}', secret: j('dop', '_v1_', hex(64)) },
  { kind: 'heroku-key', text: 'HEROKU {S}', secret: j('HRKU-', random(URLSAFE, 60)) },
  { kind: 'flyio-token', text: 'FLY {S}', secret: j('fo1_', random(URLSAFE, 43)) },
  { kind: 'netlify-token', text: 'NETLIFY {S}', secret: j('nfp_', an(36)) },
  { kind: 'supabase-key', text: 'SUPABASE {S}', secret: j('sbp_', hex(40)) },
  { kind: 'cloudflare-origin-ca-key', text: 'CF {S}', secret: j('v1.0-', hex(24), '-', hex(146)) },
  { kind: 'terraform-cloud-token', text: 'TFC {S}', secret: j(an(14), '.atlas', 'v1.', random(URLSAFE, 67)) },
  { kind: 'pulumi-token', text: 'PULUMI {S}', secret: j('pul-', hex(40)) },
  { kind: 'doppler-token', text: 'DOPPLER {S}', secret: j('dp.', 'st.', an(43)) },
  { kind: 'planetscale-token', text: 'PS {S}', secret: j('pscale_', 'tkn_', an(43)) },
  { kind: 'vault-token', text: 'VAULT {S}', secret: j('hv', 's.', random(URLSAFE, 90)) },
  { kind: 'databricks-token', text: 'DATABRICKS {S}', secret: j('dapi', hex(32)) },
  { kind: 'dynatrace-token', text: 'DT {S}', secret: j('dt0c01.', random(UPPERNUM, 24), '.', random(UPPERNUM, 64)) },
  { kind: 'newrelic-key', text: 'NR {S}', secret: j('NRAK-', random(UPPERNUM, 27)) },
  { kind: 'sentry-token', text: 'SENTRY {S}', secret: j('sntrys_', random(B64, 80)) },
  { kind: 'sentry-dsn', text: 'SENTRY_DSN=https://{S}@o123.ingest.sentry.io/42', secret: hex(32) },
  { kind: 'grafana-token', text: 'GRAFANA {S}', secret: j('gl', 'sa_', an(32), '_', hex(8)) },
  { kind: 'onepassword-service-token', text: 'OP {S}', secret: j('ops_eyJ', random(B64, 200)) },
  { kind: 'prefect-key', text: 'PREFECT {S}', secret: j('pnu_', an(36)) },
  { kind: 'npm-token', text: 'NODE_AUTH {S}', secret: j('npm', '_', an(36)) },
  { kind: 'npmrc-auth', text: '//registry.npmjs.org/:_authToken={S}', secret: random(URLSAFE, 24) },
  { kind: 'pypi-token', text: 'twine upload -p {S}', secret: j('pypi-AgEIcHlwaS5vcmc', random(URLSAFE, 60)) },
  { kind: 'rubygems-key', text: 'GEM {S}', secret: j('rubygems_', hex(48)) },
  { kind: 'nuget-key', text: 'nuget push -k {S}', secret: j('oy2', random(LOWERNUM, 43)) },
  { kind: 'docker-hub-token', text: 'docker login {S}', secret: j('dckr_', 'pat_', random(URLSAFE, 27)) },
  { kind: 'artifactory-key', text: 'JFROG {S}', secret: j('AKCp', an(69)) },
  { kind: 'artifactory-reference-token', text: 'JFROG {S}', secret: j('cmVmdGtuOjAxOj', an(50)) },
  { kind: 'anthropic-key', text: 'ANTHROPIC {S}', secret: j('sk-', 'ant-api03-', random(URLSAFE, 95)) },
  { kind: 'openai-key', text: 'OPENAI {S}', secret: j('sk-', 'proj-', random(URLSAFE, 48)) },
  { kind: 'huggingface-token', text: 'HF {S}', secret: j('hf', '_', an(34)) },
  { kind: 'groq-key', text: 'GROQ {S}', secret: j('gsk_', an(52)) },
  { kind: 'perplexity-key', text: 'PPLX {S}', secret: j('pplx-', an(48)) },
  { kind: 'xai-key', text: 'XAI {S}', secret: j('xai-', an(80)) },
  { kind: 'replicate-token', text: 'REPLICATE {S}', secret: j('r8_', an(37)) },
  { kind: 'pinecone-key', text: 'PINECONE {S}', secret: j('pcsk_', an(60)) },
  { kind: 'langsmith-key', text: 'LANGSMITH {S}', secret: j('lsv2_', 'pt_', hex(32), '_', hex(10)) },
  { kind: 'sk-hex-key', text: 'ELEVENLABS {S}', secret: j('sk', '_', hex(48)) },
  { kind: 'slack-token', text: 'SLACK={S}', secret: j('xo', 'xb-', random('0123456789', 12), '-', random('0123456789', 13), '-', an(24)) },
  { kind: 'slack-app-token', text: 'SLACK_APP {S}', secret: j('xa', 'pp-1-', random(UPPERNUM, 11), '-', random('0123456789', 13), '-', hex(64)) },
  { kind: 'slack-webhook', text: 'posting to {S}', secret: j('https://hooks.slack.com/services/T', random(UPPERNUM, 8), '/B', random(UPPERNUM, 8), '/', an(24)) },
  { kind: 'discord-webhook', text: 'notify {S}', secret: j('https://discord.com/api/webhooks/', random('0123456789', 18), '/', random(URLSAFE, 68)) },
  { kind: 'discord-bot-token', text: 'DISCORD {S}', secret: j('M', an(25), '.', an(6), '.', random(URLSAFE, 38)) },
  { kind: 'telegram-bot-token', text: 'curl https://api.telegram.org/bot{S}/sendMessage', secret: j(random('123456789', 10), ':AA', random(URLSAFE, 33)) },
  { kind: 'telegram-bot-token', text: 'TELEGRAM_BOT_TOKEN {S}', secret: j(random('123456789', 9), ':AA', random(URLSAFE, 33)) },
  { kind: 'teams-webhook', text: 'TEAMS {S}', secret: j('https://acme.webhook.office.com/webhookb2/', random(URLSAFE, 36), '@', random(URLSAFE, 36), '/IncomingWebhook/', hex(32)) },
  { kind: 'notion-token', text: 'NOTION {S}', secret: j('ntn_', random('0123456789', 11), an(35)) },
  { kind: 'airtable-token', text: 'AIRTABLE {S}', secret: j('pat', an(14), '.', hex(64)) },
  { kind: 'figma-token', text: 'FIGMA {S}', secret: j('figd_', random(URLSAFE, 40)) },
  { kind: 'asana-token', text: 'ASANA {S}', secret: j('2/', random('0123456789', 16), '/', random('0123456789', 16), ':', an(32)) },
  { kind: 'postman-key', text: 'POSTMAN {S}', secret: j('PMAK-', hex(24), '-', hex(34)) },
  { kind: 'contentful-token', text: 'CONTENTFUL {S}', secret: j('CFPAT-', random(URLSAFE, 43)) },
  { kind: 'mapbox-token', text: 'MAPBOX {S}', secret: j('sk.', 'eyJ', random(URLSAFE, 60), '.', random(URLSAFE, 22)) },
  { kind: 'dropbox-token', text: 'DROPBOX {S}', secret: j('sl.', random(URLSAFE, 140)) },
  { kind: 'stripe-key', text: 'stripe {S}', secret: j('sk', '_live_', an(24)) },
  { kind: 'stripe-webhook-secret', text: 'STRIPE {S}', secret: j('wh', 'sec_', an(32)) },
  { kind: 'square-token', text: 'SQUARE {S}', secret: j('sq0', 'atp-', random(URLSAFE, 22)) },
  { kind: 'shopify-token', text: 'SHOPIFY {S}', secret: j('shp', 'at_', hex(32)) },
  { kind: 'shippo-token', text: 'SHIPPO {S}', secret: j('shippo_', 'live_', hex(40)) },
  { kind: 'easypost-key', text: 'EASYPOST {S}', secret: j('EZAK', hex(54)) },
  { kind: 'flutterwave-key', text: 'FLW {S}', secret: j('FLWSECK_TEST-', random('abcdefgh0123456789', 32), '-X') },
  { kind: 'facebook-token', text: 'FB {S}', secret: j('EAA', an(120)) },
  { kind: 'sendgrid-key', text: 'mail {S}', secret: j('SG', '.', random(URLSAFE, 22), '.', random(URLSAFE, 43)) },
  { kind: 'brevo-key', text: 'BREVO {S}', secret: j('xkeysib-', hex(64), '-', an(16)) },
  { kind: 'mailchimp-key', text: 'MAILCHIMP {S}', secret: j(hex(32), '-us21') },
  { kind: 'twilio-key', text: 'TWILIO {S}', secret: j('SK', hex(32)) },
  { kind: 'mailgun-key', text: 'MAILGUN {S}', secret: j('key-', hex(32)) },
  { kind: 'jwt', text: 'id_token {S}', secret: j('eyJhbGciOiJIUzI1NiJ9.', 'eyJ', random(URLSAFE, 40), '.', random(URLSAFE, 43)) },
  { kind: 'url-password', text: 'git clone https://deploy:{S}@git.example.com/r.git', secret: random(ALNUM, 16) },
  { kind: 'url-password-base64', text: 'REDIS_URL=redis://:{S}@cache:6379/0', secret: j(random(B64, 14), '/', random(B64, 13), '=') },
  { kind: 'url-token-user', text: 'git clone https://{S}@github.com/acme/app.git', secret: random(ALNUM, 40) },
  { kind: 'netrc-password', text: 'machine api.example.com login ci password {S}', secret: random(ALNUM, 18) },
  { kind: 'docker-config-auth', text: '{"auths":{"ghcr.io":{"auth":"{S}"}}}', secret: random(B64, 40) },
  { kind: 'kubeconfig-secret', text: '    client-key-data: {S}', secret: random(B64, 120) },
  { kind: 'authorization-basic', text: 'Authorization: Basic {S}', secret: random(B64, 28) },
  { kind: 'bearer-token', text: 'Authorization: Bearer {S}', secret: random(URLSAFE, 40) },
  { kind: 'authorization-header', text: '> Authorization: SSWS {S}', secret: random(ALNUM, 32) },
  { kind: 'key-value-secret', text: 'curl -H "X-Api-Key: {S}" https://api.example.com', secret: random(ALNUM, 32) },
  { kind: 'key-value-secret', text: '-H "PRIVATE-TOKEN: {S}"', secret: random(URLSAFE, 26) },
  { kind: 'sshpass-password', text: "sshpass -p '{S}' ssh deploy@10.0.0.5 ./release.sh", secret: 'Winter2024!deploy' },
  { kind: 'sshpass-password', text: 'sshpass -p{S} scp a b', secret: 'h0rse-Battery' },
  { kind: 'cli-user-password', text: 'curl -u admin:{S} https://nexus.example.com/repository/', secret: 'S3cure!Pass' },
  { kind: 'cli-user-password', text: 'curl --user "ci-bot:{S}" https://x', secret: 'correct horse' },
  { kind: 'mysql-password', text: 'mysql -h db -u root -p{S} app < schema.sql', secret: 'rootpw2024' },
  { kind: 'mysql-password', text: "mysqldump -uadmin -p'{S}' shop", secret: 'p@ss w0rd' },
  { kind: 'cli-password-flag', text: 'helm repo add acme https://charts --username ci --password {S}', secret: 'Tr0ub4dor&3' },
  { kind: 'cli-password-flag', text: 'keytool -importkeystore -storepass {S}', secret: 'changeit-prod-77' },
  { kind: 'cli-secret-flag', text: 'deploy-cli --api-key {S}', secret: random(ALNUM, 32) },
  { kind: 'cli-short-password', text: 'twine upload dist/* -u ci -p {S}', secret: random(ALNUM, 24) },
  { kind: 'registry-login-password', text: 'docker login registry.example.com -u ci -p {S}', secret: 'hunter2hunter2' },
  { kind: 'stdin-password', text: '+ echo {S} | docker login -u ci --password-stdin registry.example.com', secret: random(ALNUM, 18) },
  { kind: 'gh-secret-value', text: '+ gh secret set DEPLOY_TOKEN --body {S}', secret: random(ALNUM, 18) },
  { kind: 'cli-tool-password', text: '+ security unlock-keychain -p {S} build.keychain', secret: random(ALNUM, 18) },
  { kind: 'sql-password', text: "CREATE USER 'ci'@'%' IDENTIFIED BY '{S}';", secret: random(ALNUM, 18) },
  { kind: 'base64-pem', text: '  tls.key: {S}', secret: j('LS0tLS1CRUdJTi', random(ALNUM, 60)) },
  { kind: 'key-value-secret', text: 'DB_PASSWORD={S} ./migrate', secret: 'correct-horse-battery' },
  { kind: 'key-value-secret', text: 'PGPASSWORD={S} psql -h db', secret: 'postgres' },
  { kind: 'key-value-secret', text: 'api_key: "{S}"', secret: random(ALNUM, 24) },
  { kind: 'key-value-secret', text: 'client_secret={S}&grant_type=client_credentials', secret: random(URLSAFE, 40) },
  // Escaped JSON inside a JSON string, Ruby's and PHP's `=>`.
  { kind: 'key-value-secret', text: '{"event":"retry","request":"{\\"client_secret\\":\\"{S}\\",\\"scope\\":\\"read\\"}"}', secret: random(ALNUM, 32) },
  { kind: 'key-value-secret', text: 'Octokit.new(:access_token => "{S}")', secret: random(ALNUM, 36) },
  { kind: 'key-value-secret', text: '    [db_password] => {S}', secret: 'summer-rain-7' },
  { kind: 'dsn-password', text: 'sql: open app_rw:{S}@unix(/var/run/mysqld/mysqld.sock)/shop: dial failed', secret: random(ALNUM, 20) },
  { kind: 'connection-string-password', text: 'Server=tcp:db,1433;User ID=ci;Password={S};Encrypt=True', secret: 'winter rain 2024' },
  { kind: 'cookie', text: '> Cookie: theme=dark; sid={S}; locale=de', secret: random(URLSAFE, 32) },
  { kind: 'cookie', text: '< Set-Cookie: PHPSESSID={S}; Path=/; HttpOnly', secret: random(LOWERNUM, 26) },
  { kind: 'xml-secret', text: '    <spring.datasource.password>{S}</spring.datasource.password>', secret: 'hunter2-prod' },
  { kind: 'xml-secret', text: '<server><id>nexus</id><apiKey type="plain">{S}</apiKey></server>', secret: random(ALNUM, 32) },
  { kind: 'url-query-key', text: 'GET https://maps.example.com/api/geocode/json?address=Berlin&key={S} 403', secret: random(ALNUM, 32) },
];

describe('redactSecrets: formats', () => {
  it('knows at least 60 token formats besides the generic rules', () => {
    expect(SECRET_FORMAT_COUNT).toBeGreaterThanOrEqual(60);
    const covered = new Set(CASES.map((c) => c.kind));
    const untested = [...new Set(SECRET_PATTERNS.map((p) => p.id))].filter((id) => !covered.has(id));
    expect(untested).toEqual([]);
  });

  for (const c of CASES) {
    it(`redacts ${c.kind}: ${c.text.slice(0, 40)}`, () => {
      // Prepare
      const text = c.text.replace('{S}', c.secret);
      // Act
      const out = redactSecrets(text);
      // Assert
      const secretParts = c.secret.split('\n').filter((part) => part.length >= 6 && !/^-----/.test(part));
      for (const part of secretParts) expect(out).not.toContain(part);
      expect(out).toContain(`[REDACTED:${c.kind}]`);
      expect(out.split('\n')).toHaveLength(text.split('\n').length);
    });
  }

  it.each([
    ['a zero-width space', '\u200b'],
    ['a combining grapheme joiner', '\u034f'],
    ['a Hangul filler', '\u3164'],
    ['a variation selector', '\ufe00'],
    ['a presentation selector after a letter', '\ufe0f'],
    ['a Mongolian free variation selector', '\u180b'],
    ['a Braille blank', '\u2800'],
    ['a tag character', '\u{e0041}'],
  ])('finds a token split by %s', (_label, hidden) => {
    const token = j('gh', 'p_', an(36));
    const out = redactSecrets(`push with ${token.slice(0, 12)}${hidden}${token.slice(12)}`);
    expect(out).toBe('push with [REDACTED:github-token]');
  });

  it("keeps emoji's selectors and joiners, which hide nothing", () => {
    const text = '====⚡️==== run-tests 👨‍👩‍👧 passed 1️⃣';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactSecrets: a flag at the start of a line below the first', () => {
  it.each([
    ['--password', 'cli-password-flag', (secret: string) => `helm registry login registry.example.com \\\n--username ci \\\n--password ${secret}`],
    ['--client-secret', 'cli-secret-flag', (secret: string) => `az login --service-principal -u "$APP_ID" \\\n--client-secret ${secret} --tenant "$TENANT"`],
    ['-u user:password', 'cli-user-password', (secret: string) => `curl -sf https://nexus.example.com/repository/raw/ \\\n-u ci:${secret} -T build.zip`],
  ])('redacts %s in an excerpt of several lines', (_flag, kind, text) => {
    // Prepare: excerpts are redacted as one text, so the flag is at the start of a line but not of the text.
    const secret = random(ALNUM, 20);

    // Act
    const out = redactSecrets(text(secret));

    // Assert
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
  });
});

describe('redactSecrets: generic rules keep ordinary log text', () => {
  const ordinary = [
    'SyntaxError: Unexpected token: punc (;) at line 3',
    "error TS1005: ';' expected. token: expected",
    'echo "$CR_PAT" | docker login ghcr.io -u octocat --password-stdin',
    'password: ${{ secrets.DB_PASSWORD }}',
    'server-password: GITHUB_TOKEN',
    'mkdir -p build/output && docker run -p 8080:80 nginx',
    'psql -U postgres -h localhost -c "select 1"',
    'java.lang.String token = frames.nextToken();',
    'mvn -B -U versions:use-latest-versions -DallowSnapshots',
    'echo -n "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > /tmp/.commit_date',
    'HEAD is now at 8c1f2e7d9a0b3c4d5e6f708192a3b4c5d6e7f809 fix: tokenizer',
    'sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a',
    'Secret scanning: 0 secrets found; tokens: 1234',
    'DEBUG tokenfilter: tokenfilter.go:59 Allowing connection',
    '--class org.apache.commons.lang.text.StrTokenizerTest:org.apache.commons.lang.CharRangeTest',
    'Invalid username or password09:35:05.550 [warning] Failed c2s legacy authentication',
    'password authentication failed for user "postgres"',
    'Set-Cookie: session=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT',
  ];
  for (const text of ordinary) {
    it(`leaves alone: ${text.slice(0, 60)}`, () => {
      expect(redactSecrets(text)).toBe(text);
    });
  }
});

describe('looksLikeSecretValue', () => {
  it('accepts random tokens and password values, refuses placeholders and words', () => {
    expect(looksLikeSecretValue(random(ALNUM, 24))).toBe(true);
    expect(looksLikeSecretValue('hunter2', { passwordKey: true })).toBe(true);
    for (const value of ['********', '$DB_PASS', '${{ secrets.X }}', '<password>', 'null', '[secure]', 'expected', 'TokenKind', '8080']) {
      expect(looksLikeSecretValue(value), value).toBe(false);
    }
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('private keys in streamed logs', () => {
  it('never shows a key body line, however far it is from the BEGIN line', async () => {
    // Prepare: a 30-line key body, and a failure right after the END line so the excerpt's context reaches into it.
    const body = Array.from({ length: 30 }, () => random(B64, 64));
    const log = [
      '##[group]Run ./deploy.sh',
      'writing deploy key',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
      ...body,
      '-----END OPENSSH PRIVATE KEY-----',
      'Error: Permission denied (publickey).',
      'fatal: Could not read from remote repository.',
      '##[error]Process completed with exit code 128.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { contextLines: 10 });
    // Assert
    const shown = JSON.stringify(analysis);
    expect(analysis.failures.length).toBeGreaterThan(0);
    for (const line of body) expect(shown).not.toContain(line.slice(0, 20));
  });

  it('redacts a lone key body line in an excerpt that starts below the BEGIN line', () => {
    const line = random(B64, 64);
    expect(redactSecrets(line)).toBe('[REDACTED:private-key]');
  });
});
