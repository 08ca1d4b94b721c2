import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';

/** Spellings of a password key found in real configuration files, each with the value a rule must take. */
describe('redactSecrets: password keys spelled as real configurations spell them', () => {
  it.each([
    ['a zero for the o (a SQL column, a Python parameter)', 'passw0rd=Wq7pLz2xK9', 'passw0rd=[REDACTED:key-value-secret]'],
    ['an environment variable with a zero', 'DB_PASSW0RD=Wq7pLz2xK9 ./migrate', 'DB_PASSW0RD=[REDACTED:key-value-secret] ./migrate'],
    ['fives for the s (Spring properties)', 'dynamic.datasource.master.pa55word=master_Wq7', 'dynamic.datasource.master.pa55word=[REDACTED:key-value-secret]'],
    ['a hyphen between the words (Spring YAML)', '    pass-word: hunter22', '    pass-word: [REDACTED:key-value-secret]'],
    ['an underscore between the words', '{"user_name":"ci","pass_word":"hunter22"}', '{"user_name":"ci","pass_word":"[REDACTED:key-value-secret]"}'],
    ['an environment variable ending in _PASS', 'DB_PASS=Wq7pLz2xK9 npm run migrate', 'DB_PASS=[REDACTED:key-value-secret] npm run migrate'],
    ['RabbitMQ\'s image variable', '-e RABBITMQ_DEFAULT_PASS=hunter22', '-e RABBITMQ_DEFAULT_PASS=[REDACTED:key-value-secret]'],
    ['an environment variable ending in _PW', 'docker run -e VNC_PW=hunter22 kasm', 'docker run -e VNC_PW=[REDACTED:key-value-secret] kasm'],
    ['a quoted _PW value', 'POSTGRES_PW="Thes4lman"', 'POSTGRES_PW="[REDACTED:key-value-secret]"'],
    ['an SMTP login\'s pass', 'smtp_pass: hunter22', 'smtp_pass: [REDACTED:key-value-secret]'],
    ['a mail setting\'s pass', 'mail.pass=hunter22', 'mail.pass=[REDACTED:key-value-secret]'],
    ['a database\'s pw', 'db_pw=hunter22', 'db_pw=[REDACTED:key-value-secret]'],
    ['a database\'s pwd', 'db_pwd=hunter22', 'db_pwd=[REDACTED:key-value-secret]'],
  ])('redacts the value after %s', (_label, line, expected) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).toBe(expected);
  });

  it.each([
    ['automake\'s test result', 'PASS: test/unit-tests.sh'],
    ['automake\'s unexpected pass', 'XPASS: t/known-bug.sh'],
    ['a loop variable in code', '            first_pass = llm_calls[4:]'],
    ['a field declaration', '    ruff_pass: bool,'],
    ['a spam filter score', ' SPF_HELO_PASS=-0.001, SPF_PASS=-0.001 autolearn=ham'],
    ['a test gate', 'all_gates_pass=True  failed=[]'],
    ['a word holding pass', 'compass: north-east, bypass=enabled'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
