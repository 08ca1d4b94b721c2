import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

// Attack on session 59's scripting/JavaScript rules (branch script59): realistic logs the rules were not written
// for, each from a real run of the tool on this machine where one could be made. Each row failed before its fix.

describe("attack 59 (script59): the session's rules on other tools' output and other runs of the same tools", () => {
  it("lists Composer's `- Root composer.json requires … but it does not match the constraint.` under its `Problem 1` (an `until` block's own headline the line filter passes over)", async () => {
    // Prepare: Debian 12's Composer 2.5.5, `composer update` over a constraint no version meets, and a conflict
    const log = [
      'Loading composer repositories with package information',
      'Updating dependencies',
      'Your requirements could not be resolved to an installable set of packages.',
      '',
      '  Problem 1',
      '    - Root composer.json requires acme/log ^9.0, found acme/log[1.0.0] but it does not match the constraint.',
      '  Problem 2',
      '    - Root composer.json requires acme/http ^2.0 -> satisfiable by acme/http[2.1.0].',
      '    - acme/http 2.1.0 requires acme/log ^1.0 -> found acme/log[1.0.0] but it conflicts with your root composer.json require (^9.0).',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6, 7, 8, 9]));
  });
});
