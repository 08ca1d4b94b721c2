import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/**
 * How the child runs `npm start`'s entry point: in a test run, the run's bundle of it (test/support/local-runtime-bundle.ts:
 * session 71, the same period, ~0.9 s of CPU to listen against ~2.5 s through tsx, and the crash tests start a dozen);
 * elsewhere (`npm run chaos`) from the sources through tsx, as `npm start` runs it.
 */
async function entryArgs(): Promise<string[]> {
  const runDir = process.env.GUARD_TEST_RUN_DIR;
  if (runDir === undefined) return ['--import', 'tsx', join(root, 'infra', 'local', 'main.ts')];
  const { localRuntimeBundle } = await import('../test/support/local-runtime-bundle.js');
  const bundle = await localRuntimeBundle(runDir);
  return ['--import', bundle.hooks, bundle.entry];
}

/** Starts `npm start`'s entry point as a child process; resolves with its URL once it listens. */
export async function startChild(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const args = await entryArgs();
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, args, {
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
