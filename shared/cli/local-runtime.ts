import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from '../zod.js';

/** The file `npm start` writes into its data directory so `guard` finds it without any variable. */
export const RUNTIME_FILE = 'runtime.json';

export const runtimeInfoSchema = z.strictObject({
  url: z.url(),
  pid: z.number().check(z.int(), z.positive()),
  dynamodbEndpoint: z.url(),
  region: z.string().check(z.minLength(1)),
  tables: z.object({ incidents: z.string().check(z.minLength(1)), baselines: z.string().check(z.minLength(1)), experiments: z.string().check(z.minLength(1)) }),
});

export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

/**
 * Where `npm start` keeps its data: GUARD_DATA_DIR, else `.guard-data` in the current directory (as npm start, which
 * also reads `GUARD_DATA_DIR=` set blank as unset rather than as the current directory).
 */
export function dataDirOf(env: Record<string, string | undefined>): string {
  return resolve(env.GUARD_DATA_DIR?.trim() || '.guard-data');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running local runtime of this data directory, or null (no file, unreadable, or its process is gone). */
export function findLocalRuntime(env: Record<string, string | undefined>): RuntimeInfo | null {
  let text: string;
  try {
    text = readFileSync(join(dataDirOf(env), RUNTIME_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = runtimeInfoSchema.safeParse(JSON.parse(text));
    return parsed.success && alive(parsed.data.pid) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Raised when the CLI can reach neither a local runtime nor AWS; the message says what to start or set. */
export class NothingToReachError extends Error {
  override name = 'NothingToReachError';
}

const HINT = 'start the local runtime with "npm start" (in this directory, or set GUARD_DATA_DIR), or set AWS credentials and the table names (INCIDENTS_TABLE, BASELINES_TABLE, EXPERIMENTS_TABLE) of a deployed stack';

/** The AWS SDK found no credentials in its default chain (as opposed to finding ones AWS refuses). */
export function isMissingAwsCredentials(error: unknown): boolean {
  return error instanceof Error && (error.name === 'CredentialsProviderError' || error.name === 'ProviderError');
}

/**
 * One line for an AWS SDK or network error the CLI cannot do anything about, naming what to start or set instead
 * of the SDK's class name; null for errors that already read well.
 */
export function explainReachError(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code ?? (error.cause as NodeJS.ErrnoException | undefined)?.code;
  if (isMissingAwsCredentials(error)) return `no AWS credentials and no running local runtime: ${HINT}`;
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].includes(error.name)) {
    return `AWS refused the credentials (${error.message.split('\n')[0]}): refresh them, or ${HINT}`;
  }
  if (error.name === 'ResourceNotFoundException') return `table not found (${error.message.split('\n')[0]}): ${HINT}`;
  if (code === 'ECONNREFUSED' || error.message.includes('ECONNREFUSED')) return `nothing answers at the configured endpoint (is the local runtime still running?): ${HINT}`;
  return null;
}
