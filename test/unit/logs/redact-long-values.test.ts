import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';
import { seededRandom } from '../../support/random.js';

const next = seededRandom(0x51c0de);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (length: number): string => Array.from({ length }, () => ALNUM[Math.floor(next() * ALNUM.length)]).join('');

/** A password of 300 characters and a token of 500: a generic rule's value used to stop at 200 (400 for tokens). */
const PASSWORD = random(300);
const TOKEN = random(500);

describe('redactSecrets: unquoted values longer than a rule used to read', () => {
  it.each([
    ['a password key', `DB_PASSWORD=${PASSWORD} ./migrate`, 'DB_PASSWORD=[REDACTED:key-value-secret] ./migrate'],
    ['a password key before another pair', `Password=${PASSWORD};Database=shop`, 'Password=[REDACTED:key-value-secret];Database=shop'],
    ['a token key', `api_token=${TOKEN}`, 'api_token=[REDACTED:key-value-secret]'],
    ['--password', `mysqladmin --password ${PASSWORD} status`, 'mysqladmin --password [REDACTED:cli-password-flag] status'],
    ['--api-key', `deploy --api-key ${TOKEN} --yes`, 'deploy --api-key [REDACTED:cli-secret-flag] --yes'],
    ['mysql -p', `mysql -u root -p${PASSWORD} shop`, 'mysql -u root -p[REDACTED:mysql-password] shop'],
    ['curl -u', `curl -u admin:${PASSWORD} https://ci.example.com`, 'curl -u admin:[REDACTED:cli-user-password] https://ci.example.com'],
    ['sshpass -p', `sshpass -p ${PASSWORD} ssh deploy@host`, 'sshpass -p [REDACTED:sshpass-password] ssh deploy@host'],
    ['docker login -p', `docker login -u ci -p ${PASSWORD} registry.example.com`, 'docker login -u ci -p [REDACTED:registry-login-password] registry.example.com'],
    ['redis-cli -a', `redis-cli -h cache -a ${PASSWORD} ping`, 'redis-cli -h cache -a [REDACTED:cli-short-password] ping'],
    ['an XML element', `<password>${PASSWORD}</password>`, '<password>[REDACTED:xml-secret]</password>'],
  ])('redacts the whole value after %s', (_label, line, expected) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).toBe(expected);
  });
});

describe('redactSecrets: quoted flag values longer than a flag rule used to read', () => {
  const phrase = `${PASSWORD.slice(0, 150)} ${PASSWORD.slice(150)}`;
  it.each([
    ['--password "…"', `mysqladmin --password "${phrase}" status`, 'mysqladmin --password "[REDACTED:cli-password-flag]" status'],
    ["sshpass -p '…'", `sshpass -p '${PASSWORD}' ssh deploy@host`, "sshpass -p '[REDACTED:sshpass-password]' ssh deploy@host"],
    ['curl -u user:"…"', `curl -u admin:"${phrase}" https://ci.example.com`, 'curl -u admin:"[REDACTED:cli-user-password]" https://ci.example.com'],
  ])('redacts the whole value after %s', (_label, line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });
});
