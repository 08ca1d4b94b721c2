import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';
import { looksLikeSecretValue } from '../../../shared/logs/redaction/secret-values.js';

/**
 * A value written as a template expression (Jinja and Ansible, Helm and Go templates, GitHub Actions, ERB, shell
 * parameter expansion) names where the secret comes from; it holds none. A template that spells a literal secret
 * out inside it still does.
 */
describe('redactSecrets: template expressions as values', () => {
  it.each([
    ['Jinja, quoted', 'password: "{{ db_pass }}"'],
    ['Jinja, no spaces', 'password={{db_pass}}'],
    ['Ansible with a filter and a default name', `db_password: "{{ vault_db_password | default(omit) }}"`],
    ['Ansible lookup', `password: "{{ lookup('env', 'DB_PASS') }}"`],
    ['Helm with pipes', 'password: "{{ .Values.db.password | b64enc | quote }}"'],
    ['Helm trimming whitespace', 'password: "{{- .Values.password -}}"'],
    ['Jinja statements', "password: '{% if prod %}{{ prod_pass }}{% else %}{{ dev_pass }}{% endif %}'"],
    ['GitHub Actions with a fallback', `password: "\${{ secrets.DB_PASS || 'unset' }}"`],
    ['shell expansion with a default', 'password: ${DB_PASS:-postgres_default}'],
    ['ERB', `password: "<%= ENV['DB_PASS'] %>"`],
    ['a secret key name', 'api_key: "{{ .Values.apiKey }}"'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });

  it.each([
    ['a literal password as a Jinja default', `password: "{{ db_pass | default('Wq7#pLz2') }}"`, 'Wq7#pLz2'],
    ['a literal password as a shell default', 'password: ${DB_PASS:-Wq7pLz2x9}', 'Wq7pLz2x9'],
    ['a secret after a template', 'password: "{{ user }}Wq7pLz2x9"', 'Wq7pLz2x9'],
    ['a literal string in a GitHub expression', `password: "\${{ 'Wq7#pLz2' }}"`, 'Wq7#pLz2'],
  ])('redacts %s', (_label, line, secret) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:key-value-secret]');
  });

  it('takes a whole template expression for a placeholder, with its braces', () => {
    for (const value of ['{{ db_pass }}', '"{{ db_pass }}"', '{{db_pass}}', '${DB_PASS:-x}', '{{ a }}{{ b }}']) {
      expect(looksLikeSecretValue(value, { passwordKey: true }), value).toBe(false);
    }
  });
});
