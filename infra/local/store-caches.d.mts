/** Types of store-caches.mjs (plain JavaScript, loaded by the store's worker thread). */
export declare class SharedValueChangedError extends TypeError {}
/** The LevelDB methods the caches wrap (callback forms, as dynalite calls them). */
export interface CachedLevel {
  status: string;
  get(key: string, callback: (error: Error | null, value?: unknown) => void): unknown;
  put(key: string, value: unknown, callback: (error: Error | null) => void): unknown;
  del(key: string, callback: (error: Error | null) => void): unknown;
  batch(operations: Array<{ type: string; key: string; value?: unknown }>, callback: (error: Error | null) => void): unknown;
}
export declare function sharingDescriptions<T>(run: () => T): T;
export declare function cacheTableDescriptions(level: CachedLevel, options?: { readOnlyShared?: boolean }): void;
export declare function cacheItems(level: CachedLevel, options?: { max?: number; readOnlyShared?: boolean }): void;
/** A copy of a decoded value the caches handed out (shared, or its read-only view), made from the value itself. */
export declare function ownCopyOf<T>(value: T): T;
export interface ReadAnswers {
  answer(key: string): Uint8Array | undefined;
  reading(key: string, operation: string, data: unknown): ((bytes: Uint8Array) => void) | undefined;
}
export declare function cacheReadAnswers(level: CachedLevel, options: { tables: readonly string[]; max?: number; maxBytes?: number }): ReadAnswers;
