// Types of bin/cli-bundle.js (plain JavaScript: the launcher runs it before any TypeScript loader).

export interface CliBuildManifest {
  /** The build's directory inside the cache. */
  dir: string;
  builtAt?: string;
  /** Project path -> [modification time in ms, size in bytes] when the build was made. */
  inputs: Record<string, [number, number]>;
}

export function cacheDir(env?: Record<string, string | undefined>): string;
export function isFresh(manifest: unknown, root?: string): boolean;
export function freshBuild(cache?: string): string | null;
export function buildCli(cache?: string): Promise<string>;
export function bundledCli(cache?: string): Promise<string | null>;
