import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `npm start`'s entry point from the sources through tsx, as `npm start` runs it. */
const SOURCE_ENTRY: readonly string[] = ['--import', 'tsx', join(root, 'infra', 'local', 'main.ts')];

/**
 * Starts `npm start`'s entry point as a child process; resolves with its URL once it listens. `entry` is node's
 * arguments that run it: the sources through tsx unless a caller has another build of the same code (the crash
 * tests: test/support/local-runtime-bundle.ts).
 */
export function startChild(dataDir: string, env: NodeJS.ProcessEnv, entry: readonly string[] = SOURCE_ENTRY): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [...entry], {
      cwd: root,
      env: { ...env, GUARD_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolveStart({ child, url: match[1] as string });
      }
    };
    child.stdout?.on('data', onData);
    // Kept bounded after start: a restarted runtime that dies mid-run shows why instead of a bare ECONNRESET.
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-16_384)));
    child.once('exit', (code, signal) => {
      reject(new Error(`runtime exited with ${code} before listening:\n${output}`));
      if (signal === null && code !== 0) process.stderr.write(`runtime exited with ${code}; its last output:\n${output}\n`);
    });
  });
}

/** Resolves once the child has exited (at once if it already has). */
export function exited(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolveExit) => (!child || child.exitCode !== null || child.signalCode ? resolveExit() : child.once('exit', () => resolveExit())));
}

/** The end of a crash run: the first start killed if it still runs, the restarted one stopped and waited for. */
export async function stopBoth(first: ChildProcess | undefined, second: ChildProcess | undefined): Promise<void> {
  first?.kill('SIGKILL');
  second?.kill('SIGTERM');
  await exited(second);
}
