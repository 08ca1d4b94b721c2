// The embedded store's caches of decoded values (table descriptions, items), wrapped around dynalite's LevelDB in its
// worker thread (dynalite-worker.mjs). Plain JavaScript, as the worker is, so it loads the same under tsx, vitest and node.

/** A caller changed a value the store's caches share between calls: the next caller would have read the change. */
export class SharedValueChangedError extends TypeError {
  name = 'SharedValueChangedError';
}

const readOnlyViews = new WeakMap();
const refuse = (what) =>
  function (_target, key) {
    throw new SharedValueChangedError(`${what} ${String(key)} of a value the embedded store shares between calls (its decoded items and table descriptions are handed to every reader)`);
  };
const REFUSE_CHANGES = {
  set: refuse('set'),
  defineProperty: refuse('defined'),
  deleteProperty: refuse('deleted'),
  setPrototypeOf: refuse('set the prototype of'),
  preventExtensions: refuse('prevented extensions of'),
};
/** What a read-only view answers for the value it shows (see {@link ownCopyOf}); no item or description has it. */
const SHOWN_VALUE = Symbol('the value a read-only view shows');

/**
 * A view's `toJSON` where its value has none: the value itself, so that `JSON.stringify` serialises the value's own
 * objects (the same members in the same order, so the same text) instead of walking the view through a `get` trap at
 * every member. Serialising changes nothing; every other read still goes through the view. The store thread
 * serialises every item it answers (GetItem, BatchGetItem, an update's ReturnValues), and walking the views was the
 * largest part of what they cost it in tests (session 72, a 205-alarm storm: ~18 MB of answers).
 */
const READ_ONLY = {
  ...REFUSE_CHANGES,
  get(target, key, receiver) {
    if (key === SHOWN_VALUE) return target;
    const value = Reflect.get(target, key, receiver);
    if (value === undefined && key === 'toJSON') return () => target;
    return readOnly(value);
  },
};

/**
 * A read-only view of `value`: any change through it, at any depth, throws {@link SharedValueChangedError}. A proxy
 * and not `Object.freeze`, which dynalite's modules (not strict mode) would ignore silently.
 */
function readOnly(value) {
  if (value === null || typeof value !== 'object') return value;
  let view = readOnlyViews.get(value);
  if (view === undefined) readOnlyViews.set(value, (view = new Proxy(value, READ_ONLY)));
  return view;
}

const readOnlyCopies = new WeakMap();
/**
 * {@link readOnly} for a value read over and over (a table's description: dynalite walks its key schema, indexes and
 * attribute definitions several times per call): a copy of it whose objects are already read-only views, made once,
 * so a read goes to the copy without a `get` trap on each step of each walk. JSON data only (what LevelDB decodes).
 * The traps made the store thread ~35 % slower in tests than without the views (a 200-alarm storm: 20.3 s of the
 * runtime's CPU against 13.2 s), most of it in these walks.
 */
function readOnlyCopy(value) {
  if (value === null || typeof value !== 'object') return value;
  let view = readOnlyCopies.get(value);
  if (view !== undefined) return view;
  const copy = Array.isArray(value) ? [] : {};
  readOnlyCopies.set(value, (view = new Proxy(copy, REFUSE_CHANGES)));
  for (const key of Object.keys(value)) copy[key] = readOnlyCopy(value[key]);
  return view;
}

/**
 * A copy of a decoded value the caches handed out (shared, or a read-only view of it), for a caller that reads all of
 * it and must not share it: copied from the value itself, not walked through its view, with every object's prototype
 * and every member in its order, so the copy reads as the value does.
 */
export function ownCopyOf(value) {
  return copied(value?.[SHOWN_VALUE] ?? value);
}

function copied(node) {
  if (node === null || typeof node !== 'object') return node;
  const copy = Array.isArray(node) ? [] : Object.create(Object.getPrototypeOf(node));
  for (const key of Object.keys(node)) {
    // A member named __proto__ (an attribute may be) is a member, as in the value, not the copy's prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: copied(node[key]), writable: true, enumerable: true, configurable: true });
    else copy[key] = copied(node[key]);
  }
  return copy;
}

/**
 * How the caches hand out what they share: as it is (the default, for speed), or read-only when `readOnlyShared` is
 * set (tests), so a caller that changes a value it got fails at once instead of corrupting every later read of it.
 */
const handOut = (readOnlyShared, view = readOnly) => (readOnlyShared ? view : (value) => value);

/**
 * dynalite reads the table's description from LevelDB on every call (a native read, its snapshot and a JSON decode:
 * a tenth of the store thread's time), though it changes only by CreateTable, UpdateTable and DeleteTable. Keep
 * each description's JSON after the first read; every write to a description drops it, and a read that overlapped
 * a write is not kept. Each caller gets its own parsed copy, as from LevelDB, except the item operations run
 * within {@link sharingDescriptions}: they only read a description (only the table operations change theirs before
 * writing them back), so they share one parsed copy instead of decoding it on every call.
 */
let shareDescriptions = false;
export function sharingDescriptions(run) {
  shareDescriptions = true;
  try {
    return run();
  } finally {
    shareDescriptions = false;
  }
}
export function cacheTableDescriptions(level, { readOnlyShared = false } = {}) {
  const shared = handOut(readOnlyShared, readOnlyCopy);
  const TABLE_KEY = 'table~';
  const isTableKey = (key) => typeof key === 'string' && key.startsWith(TABLE_KEY);
  const descriptions = new Map();
  const parsed = new Map();
  let writes = 0;
  const { get } = level;
  level.get = function (key, callback) {
    if (!isTableKey(key) || typeof callback !== 'function') return get.apply(this, arguments);
    const text = descriptions.get(key);
    if (text !== undefined && shareDescriptions) {
      let one = parsed.get(key);
      if (one === undefined) parsed.set(key, (one = JSON.parse(text)));
      return void setImmediate(callback, null, shared(one));
    }
    if (text !== undefined) return void setImmediate(callback, null, JSON.parse(text));
    const writesBefore = writes;
    return get.call(this, key, (error, value) => {
      if (!error && value && writes === writesBefore) descriptions.set(key, JSON.stringify(value));
      callback(error, value);
    });
  };
  const drop = () => {
    writes += 1;
    descriptions.clear();
    parsed.clear();
  };
  droppingAroundWrites(level, isTableKey, drop);
}

/**
 * Wraps `level`'s put, del and batch so that `drop` runs when a write of a key `isWatched` names starts and again when
 * it ends: a read between the two may have seen either value.
 */
function droppingAroundWrites(level, isWatched, drop) {
  const dropping = (write, keysOf) =>
    function (...args) {
      if (!keysOf(args[0]).some(isWatched)) return write.apply(this, args);
      drop();
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...results) => {
          drop();
          callback(...results);
        };
        return write.apply(this, args);
      }
      const result = write.apply(this, args);
      result?.finally?.(drop).catch(() => {});
      return result;
    };
  const { put, del, batch } = level;
  level.put = dropping(put, (key) => [key]);
  level.del = dropping(del, (key) => [key]);
  level.batch = dropping(batch, (operations) => (Array.isArray(operations) ? operations.map((operation) => operation?.key) : []));
}

/**
 * The items last written or read, decoded, so the next read of the same item does not decode it again from LevelDB:
 * an incident's item (≈ 10 KB of JSON) is read by each of its ~13 updates and ~10 reads, within seconds of its last
 * write, and decoding it was the largest part of the store thread's reads and of its garbage. An item is kept only
 * once its write has completed (LevelDB answers with it from then on), dropped when a write of it starts, and a
 * value read is kept only if no write of it was in flight or started meanwhile; a batch drops the items it touches. dynalite never changes
 * an item it read (an update changes a deep copy; answers are serialised as they are), so the one decoded value is
 * handed to every reader (read-only with `readOnlyShared`, in tests).
 */
export function cacheItems(level, { max = 256, readOnlyShared = false } = {}) {
  const shared = handOut(readOnlyShared);
  const isItemKey = (key) => typeof key === 'string' && key.startsWith('item-');
  const items = new Map();
  /** Writes in flight by key: how many, and the sequence number of the last one started. */
  const writing = new Map();
  let writes = 0;
  const remember = (key, value) => {
    items.delete(key);
    items.set(key, value);
    if (items.size > max) items.delete(items.keys().next().value);
  };
  const started = (key) => {
    writes += 1;
    items.delete(key);
    const entry = writing.get(key) ?? { count: 0, last: 0 };
    entry.count += 1;
    entry.last = writes;
    writing.set(key, entry);
    return writes;
  };
  const ended = (key, sequence, value, error) => {
    const entry = writing.get(key);
    if (!error && entry.last === sequence && value !== undefined) remember(key, value);
    if (--entry.count === 0) writing.delete(key);
  };
  const { get, put, del, batch } = level;
  level.get = function (key, callback) {
    if (!isItemKey(key) || typeof callback !== 'function' || level.status !== 'open') return get.apply(this, arguments);
    const value = items.get(key);
    if (value !== undefined) {
      items.delete(key);
      items.set(key, value);
      return void setImmediate(callback, null, shared(value));
    }
    // Kept only if no write of it was in flight when the read started and none started since: a read that overlaps a
    // write may answer the value before it, and that write's end (which keeps its own value) may come first.
    const writesBefore = writing.has(key) ? -1 : writes;
    return get.call(this, key, (error, found) => {
      if (!error && found !== undefined && writes === writesBefore) {
        remember(key, found);
        return callback(error, shared(found));
      }
      callback(error, found);
    });
  };
  const tracked = (write, valueOf) =>
    function (key, ...args) {
      if (!isItemKey(key)) return write.call(this, key, ...args);
      const sequence = started(key);
      const value = valueOf(args);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error, ...results) => {
          ended(key, sequence, value, error);
          callback(error, ...results);
        };
        return write.call(this, key, ...args);
      }
      const result = write.call(this, key, ...args);
      Promise.resolve(result).then(
        () => ended(key, sequence, value, null),
        (error) => ended(key, sequence, value, error ?? new Error('write failed')),
      );
      return result;
    };
  level.put = tracked(put, (args) => args[0]);
  level.del = tracked(del, () => undefined);
  level.batch = function (operations, ...args) {
    const keys = Array.isArray(operations) ? operations.map((operation) => operation?.key).filter(isItemKey) : [];
    if (keys.length === 0) return batch.call(this, operations, ...args);
    const sequences = keys.map((key) => started(key));
    const done = (error) => keys.forEach((key, at) => ended(key, sequences[at], undefined, error));
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error, ...results) => {
        done(error);
        callback(error, ...results);
      };
      return batch.call(this, operations, ...args);
    }
    const result = batch.call(this, operations, ...args);
    Promise.resolve(result).then(() => done(null), (error) => done(error ?? new Error('batch failed')));
    return result;
  };
}

/** The table a LevelDB key of dynalite's belongs to (`table~T`, `item-T~…`, `index-global~T~I~…`, `tag-T~…`), if any. */
function tableOfKey(key) {
  if (typeof key !== 'string') return undefined;
  if (key.startsWith('table~')) return key.slice('table~'.length);
  const end = key.indexOf('~');
  if (end < 0) return undefined;
  if (key.startsWith('item-') || key.startsWith('tag-')) return key.slice(key.indexOf('-') + 1, end);
  if (key.startsWith('index-')) {
    const indexEnd = key.indexOf('~', end + 1);
    return indexEnd < 0 ? undefined : key.slice(end + 1, indexEnd);
  }
  return undefined;
}

/** The operations whose answers {@link cacheReadAnswers} keeps: they read and never write. */
const READS = new Set(['BatchGetItem', 'GetItem', 'Query', 'Scan']);

/**
 * Whole answers to reads of a few tables, by the request's text: the experiments table is read twice an incident (the
 * definitions' Query, the promoted policies' BatchGetItem) with the same requests and answers, and written only when
 * an experiment is created, stopped or promoted or a unit is counted. Every writer of the local tables, `guard`
 * commands over HTTP included, goes through this store's LevelDB, so the answers are exact without any time bound: a
 * write of any key of a watched table (item, index, description or tags, whatever the operation that writes it; a key
 * of no table it can name too) drops them all when it starts and again when it ends, and an answer is kept only if
 * no such write started or ended between its read's start and its answer. So a write that ended before a read started
 * is in that read's answer, and an answer kept while a write runs (its read started after the write did) may show the
 * value before it but is dropped when the write ends, before its writer hears that it is done. Only reads whose every
 * table is watched are kept, only successful answers, at most `max` of them (oldest out first), none over `maxBytes`.
 *
 * `answer(key)` is a kept answer's bytes (a copy the caller may transfer), or undefined; `reading(key, operation,
 * data)` is, for a read of watched tables only, the function to call with its answer's bytes once answered.
 */
export function cacheReadAnswers(level, { tables, max = 64, maxBytes = 64 * 1024 }) {
  const watched = new Set(tables);
  const answers = new Map();
  let writes = 0;
  const drop = () => {
    writes += 1;
    answers.clear();
  };
  droppingAroundWrites(level, (key) => {
    const table = tableOfKey(key);
    return table === undefined || watched.has(table);
  }, drop);
  const tablesOf = (operation, data) =>
    operation === 'BatchGetItem' ? Object.keys(data?.RequestItems ?? {}) : typeof data?.TableName === 'string' ? [data.TableName] : [];
  return {
    answer(key) {
      return answers.get(key)?.slice();
    },
    reading(key, operation, data) {
      if (!READS.has(operation)) return undefined;
      const read = tablesOf(operation, data);
      if (read.length === 0 || !read.every((table) => watched.has(table))) return undefined;
      const writesBefore = writes;
      return (bytes) => {
        if (writes !== writesBefore || bytes.byteLength > maxBytes) return;
        answers.set(key, bytes.slice());
        if (answers.size > max) answers.delete(answers.keys().next().value);
      };
    },
  };
}
