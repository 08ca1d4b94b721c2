import { describe, expect, it } from 'vitest';
import { redactingLogger } from '../../../shared/runtime/redacting-logger.js';

describe('redactingLogger', () => {
  it('redacts the message and nested string fields before writing', () => {
    // Prepare
    const written: unknown[][] = [];
    const sink = { info: (...args: unknown[]) => written.push(args), warn: () => {}, error: () => {} };
    const token = ['xo', 'xb-', '123456789012-', '1234567890123-', 'aZ9bY8cX7dW6eV5fU4gT3hS2'].join('');
    // Act
    redactingLogger(sink).info(`posting with ${token}`, { error: new Error(`401 for ${token}`), nested: { list: [`t=${token}`] }, count: 3 });
    // Assert
    const text = JSON.stringify(written);
    expect(text).not.toContain(token);
    expect(text).toContain('[REDACTED:slack-token]');
    expect(text).toContain('"count":3');
  });
});
