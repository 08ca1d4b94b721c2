import { describe, expect, it } from 'vitest';
import { createExperimentsCommand } from '../../../shared/cli/commands/experiments.js';
import type { CliIO } from '../../../shared/cli/io.js';
import type { Learning } from '../../../shared/knowledge/learning.js';

function capture(): CliIO & { out: (text: string) => void; printed: string[] } {
  const printed: string[] = [];
  return { printed, out: (text) => printed.push(text), err: (text) => printed.push(text), stdin: (async function* () {})() };
}

describe('guard experiments list', () => {
  it('says there are none, and how to start one, instead of printing nothing', async () => {
    // Prepare
    const experiments = { list: async () => [] };
    const command = createExperimentsCommand(async () => ({ experiments }) as unknown as Learning);
    const io = capture();

    // Act
    const code = await command.run(['list'], io);

    // Assert
    expect(code).toBe(0);
    expect(io.printed).toEqual(['no experiments yet: `guard experiments create <definition.json>` starts one']);
  });
});
