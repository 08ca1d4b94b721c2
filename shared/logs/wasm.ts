/**
 * The WebAssembly the analyzer's passes run on (line-filter.wat, literal-index.wat and shape.wat, compiled into
 * line-filter.generated.ts): each module compiled once per process, each caller with instances of its own. Every
 * pass also runs in JavaScript: where WebAssembly is unavailable (`node --jitless`), and on a big-endian machine,
 * since the passes exchange typed arrays with WebAssembly memory, which is little-endian.
 */
import { endianness } from 'node:os';

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export const WASM_PAGE = 64 * 1024;

const compiled = new Map<string, object | null>();

/** A new instance of the module in `base64` (its exports), or null where the JavaScript pass must run. */
export function instantiate<Exports>(base64: string): Exports | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api || endianness() !== 'LE') return null;
  let module = compiled.get(base64);
  if (module === undefined) {
    try {
      module = new api.Module(Buffer.from(base64, 'base64'));
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  return module === null ? null : (new api.Instance(module).exports as Exports);
}

/** Grows `memory` (it never shrinks) to hold at least `bytes`. */
export function ensureMemory(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / WASM_PAGE));
}
