import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalWorkflow, validatedStateMachine, verdictPath } from '../../../infra/local/local-workflow.js';
import { memoryRegistry } from '../../support/execution-registry.js';
import { awaitApprovalAslFile } from '../../support/await-approval-machine.js';

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:validation-test';
const start = (aslPath: string) => startLocalWorkflow({ aslPath, substitutions: {}, stateMachineArn: STATE_MACHINE, registry: memoryRegistry(), retryDelayMs: 1, tasks: { Notify: async () => ({}) } });

/** `aslPath`'s definition with its Notify state pointing at a state that does not exist. */
function brokenCopy(aslPath: string): string {
  const definition = JSON.parse(readFileSync(aslPath, 'utf8'));
  definition.States.Notify = { ...definition.States.Notify, End: undefined, Next: 'NoSuchState' };
  const path = join(mkdtempSync(join(tmpdir(), 'guard-asl-')), 'broken.asl.json');
  writeFileSync(path, JSON.stringify(definition));
  return path;
}

// The runtime validates a definition once per process (the ASL validator compiles its schema on every call): a valid
// definition met before starts without it; every other one is still validated, and an invalid one refused each time.
describe('local Step Functions: the state machine definition', () => {
  it('starts a valid definition again, and refuses an invalid one every time, also after a valid one started', async () => {
    const valid = awaitApprovalAslFile();
    for (let i = 0; i < 2; i++) await (await start(valid)).close();
    const broken = brokenCopy(valid);
    for (let i = 0; i < 2; i++) await expect(start(broken)).rejects.toThrow(/State machine definition is invalid/);
  });

  it('leaves the next process a verdict on a valid definition only', () => {
    const definition = JSON.parse(readFileSync(awaitApprovalAslFile(), 'utf8'));
    // A definition no process met before (its comment), so its verdict is this test's own.
    const valid = { ...definition, Comment: `verdict ${randomUUID()}` };
    const broken = { ...valid, States: { ...valid.States, Notify: { ...valid.States.Notify, End: undefined, Next: 'NoSuchState' } } };
    // Named by the definitions as given: the validator writes into what it validates (each state's QueryLanguage).
    const verdicts = [verdictPath(JSON.stringify(valid)), verdictPath(JSON.stringify(broken))];
    validatedStateMachine(valid);
    expect(() => validatedStateMachine(broken)).toThrow(/State machine definition is invalid/);
    expect(verdicts.map((verdict) => existsSync(verdict))).toEqual([true, false]);
    rmSync(verdicts[0] as string);
  });
});
