/**
 * The table of secret patterns (token formats, then generic rules), as the redactor runs them: tokens glued to the
 * text after them, and the patterns that read a text whole set apart from those that read line by line.
 */
import { RedactionError } from '../../errors.js';
import { FLAG_VALUE, HTPASSWD_ARGUMENT, HTPASSWD_GATE, HTPASSWD_OPTIONS, HTPASSWD_WITH_B, htpasswdFlag, INI_PASS_LINE, iniPassValue, KEY_END, KEY_SEPARATOR, keyThenColon, opaqueKey, PAIR_NAME, PASSWORD_KEY, PASSWORD_VALUE, SECRET_KEY, SHORT_PASSWORD_KEY, STDIN_SECRET_FLAG, STDIN_SECRET_GATE, valueChar, xmlElement, yamlLine } from './key-grammar.js';
import { highEntropy, isPemBodyLine, isSpacedHexKey, looksLikeSecretValue, mixedRandom, passwordValue, secretValue } from './secret-values.js';

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
  { id: 'netrc-password', re: /^([^\S\n\r\u2028\u2029]*password[^\S\n]+)[^\s'"]+(?=[^\S\n]*$)/gm, keep: 1, accept: passwordValue },
  { id: 'private-key', re: /^[^\S\n\r\u2028\u2029]*[A-Za-z0-9+/]{40,100}={0,2}[^\S\n]*$/gm, accept: isPemBodyLine },
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
    each: /(?<![^\s=;])([^\s=;]+=)([^\s;]+)/g,
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

/** {@link SECRET_PATTERNS} as the redactor runs them: a token glued to the text after it counts ({@link gluedTokenPattern}). */
export const PATTERNS_IN_USE: readonly SecretPattern[] = SECRET_PATTERNS.map(gluedTokenPattern);

/** Number of distinct token formats recognised by shape (the generic rules come on top). */
export const SECRET_FORMAT_COUNT = /* @__PURE__ */ (() => new Set(SECRET_PATTERNS.filter((p) => p.kind !== 'generic').map((p) => p.id)).size)();

/**
 * Patterns that read a text as a whole: a key block runs from its BEGIN line to its END line or to the end of its
 * text, a `.netrc` entry over its lines, and in decoded base64 a key body line counts only when the text names a
 * private key. When several texts
 * are redacted together these run on each text on its own; every other pattern stops at a line break, so texts
 * joined by one are read as if each were alone.
 */
const readsWholeText = (pattern: SecretPattern): boolean => pattern.id === 'private-key' || pattern.id === 'putty-private-key' || pattern.id === 'netrc-password';
export const WHOLE_TEXT_PATTERNS = PATTERNS_IN_USE.filter(readsWholeText);
export const LINE_PATTERNS = PATTERNS_IN_USE.filter((pattern) => !readsWholeText(pattern));
/** The token formats, read in look-alike characters too ({@link redactLookalikes}). */
export const LOOKALIKE_PATTERNS = LINE_PATTERNS.filter((pattern) => pattern.kind !== 'generic');
// Running them first keeps the order of SECRET_PATTERNS (most specific first) only while they come first there.
if (PATTERNS_IN_USE.findIndex((pattern) => !readsWholeText(pattern)) !== WHOLE_TEXT_PATTERNS.length) {
  throw new RedactionError('the private-key patterns must come first in SECRET_PATTERNS');
}
