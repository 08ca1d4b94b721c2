// dynalite in a worker thread: LevelDB reads and writes, item (de)serialisation and the HTTP parsing of every
// DynamoDB call run on a core of their own instead of the event loop that runs the handlers (about half of an
// incident's CPU time was the embedded store). Plain JavaScript so it loads the same under tsx, vitest and node.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { cacheExpressionParses } from './expression-cache.mjs';
import { cacheItems, cacheReadAnswers, cacheTableDescriptions, ownCopyOf, sharingDescriptions } from './store-caches.mjs';

const require = createRequire(import.meta.url);
const requireFromDynalite = createRequire(require.resolve('dynalite'));
const requireFromLevel = createRequire(requireFromDynalite.resolve('level'));
const requireFromClassic = createRequire(requireFromLevel.resolve('classic-level'));

// dynalite 4 cleans up its iterator streams with iterator.return(), which abstract-level 3 iterators do not have
// (they have close()), and never closes an iterator that reached its end: every Query/Scan left an open iterator
// pinning a LevelDB snapshot, so compaction never deleted table files (RSS 160 MB -> 1.2 GB and a 1.2 GB folder
// after 400 incidents). Give them the return() dynalite calls; streams auto-destroy at their end, which closes too.
const { AbstractIterator } = requireFromClassic('abstract-level');
const common = Object.getPrototypeOf(AbstractIterator.prototype);
if (typeof common.return !== 'function') {
  Object.defineProperty(common, 'return', { configurable: true, writable: true, value() { return this.close(); } });
}

// dynalite opens its LevelDB lazily and drops the open error: when the open fails (the folder is locked by another
// runtime, or unreadable), every later call answers "Database is closed" — the start-up flake, since the first
// call is creating the tables. An earlier probe (open, close, then let dynalite open) left a window in which a
// second runtime started at the same moment passed the probe too, and the loser got "Database is closed". Now the
// worker keeps the instance dynalite creates, waits for its open and reports the real outcome before listening.
const levelModule = requireFromDynalite('level');
const DynaliteLevel = levelModule.Level;
/** The LevelDB instances dynalite created since {@link openStore} began opening the current store. */
let created = [];
class TrackedLevel extends DynaliteLevel {
  constructor(...args) {
    super(...args);
    created.push(this);
  }
  // Reads are answered from LevelDB on this thread: the asynchronous get queues each read on libuv's pool and
  // resolves a promise back here, which for reads that hit LevelDB's caches costs more than the read (6 % of the
  // store's instructions in a mix of puts, updates, gets and queries). This thread serves nothing else, so the
  // blocking read holds up no handler. Writes and iterators stay asynchronous, and so does a read before the open.
  get(key, options) {
    if (this.status !== 'open') return super.get(key, options);
    try {
      return Promise.resolve(this.getSync(key, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * dynalite writes a new table's description as CREATING and marks it ACTIVE a timer tick later, in a second write
 * whose failure it ignores once the database is closed. A store closed or killed in between (a runtime stopped
 * during its first start, a test that reopens a folder right after creating a table) keeps the table CREATING for
 * good: DynamoDB answers every item call on it with ResourceNotFoundException, and the table can be neither used,
 * deleted nor created again. The description was written whole; only that flip is missing, so it is done here,
 * before the store takes calls.
 */
async function finishInterruptedCreations(level) {
  const stuck = [];
  for await (const [key, table] of level.iterator({ gte: 'table~', lt: 'table~\uffff' })) {
    if (table?.TableStatus === 'CREATING') stuck.push([key, table]);
  }
  for (const [key, table] of stuck) {
    table.TableStatus = 'ACTIVE';
    for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'ACTIVE';
    await level.put(key, table);
  }
}

// dynalite's db module takes the class as it loads: each store it creates from then on is a TrackedLevel.
levelModule.Level = TrackedLevel;
const dynalite = require('dynalite');
levelModule.Level = DynaliteLevel;
// The store dynalite creates (its LevelDB and table access), for the in-process calls below.
const db = requireFromDynalite('./db');
cacheExpressionParses(['./db/conditionParser', './db/updateParser', './db/projectionParser'].map((parser) => requireFromDynalite(parser)));
// The HTTP endpoint is for DynamoDB clients of other processes on this machine (`guard` commands), never for web
// pages: dynalite answers any Origin with `Access-Control-Allow-Origin: *` (preflights included) and takes any
// signature, so any page the developer opened could find the port and read and rewrite every table, around the
// runtime's own refusal of other sites and rebound host names. A request a browser sends carries an Origin or
// Fetch Metadata, or (a page whose name was rebound to 127.0.0.1) a Host that is not a loopback name; the SDK sends
// none of these. The in-process calls below have no socket and are not HTTP requests.
const LOOPBACK_HOST = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::\d{1,5})?$/i;
const fromWebPage = ({ headers }) =>
  headers.origin !== undefined ||
  headers['sec-fetch-site'] !== undefined ||
  headers['sec-fetch-mode'] !== undefined ||
  (headers.host !== undefined && !LOOPBACK_HOST.test(headers.host));
/**
 * An in-process call as dynalite's request handler serves it once it has read a well-formed request (index.js:
 * parse the JSON body, check the operation's types and validations, run the action, answer its result or its error's
 * body and status), without what only HTTP needs: the request and response objects, the authorization header's
 * parsing (an in-process call carries none to check), the response's CRC32 and random request id (the SDK checks
 * neither; a counter names the call instead). Anything else (an unknown operation, an empty body, a body that is not
 * JSON) goes to dynalite's own handler, whose answers it keeps. The same validation and actions, so the same answers.
 */
const API = 'DynamoDB_20120810';
/** The operations that read a table's description and never change it (see cacheTableDescriptions in store-caches.mjs). */
const ITEM_OPERATIONS = new Set(['BatchGetItem', 'BatchWriteItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem']);
const validations = requireFromDynalite('./validations');
const operations = new Map(
  ['BatchGetItem', 'BatchWriteItem', 'CreateTable', 'DeleteItem', 'DeleteTable', 'DescribeTable', 'DescribeTimeToLive', 'GetItem', 'ListTables', 'PutItem', 'Query', 'Scan', 'TagResource', 'UntagResource', 'ListTagsOfResource', 'UpdateItem', 'UpdateTable'].map((operation) => {
    const name = validations.toLowerFirst(operation);
    return [operation, { action: requireFromDynalite(`./actions/${name}`), validation: requireFromDynalite(`./validations/${name}`) }];
  }),
);
/**
 * The store as item operations get it: every table description it reads is the one shared parsed copy, also those
 * read after the operation's first asynchronous step, which the window of `sharingDescriptions(run)` no longer
 * covers: BatchGetItem reads each of its keys with GetItem's action, each reading the description again (3.4 KB of
 * JSON parsed per key, ~60 keys an incident). Item operations never change a description (only the table operations
 * do, and they get the store itself); dynalite's actions only call the store's methods, never set its properties.
 */
function storeSharingDescriptions(target) {
  return Object.create(target, { getTable: { value: (...args) => sharingDescriptions(() => target.getTable(...args)) } });
}
/**
 * The store as UpdateItem gets it: {@link storeSharingDescriptions}, its items read as copies of their own. UpdateItem
 * reads the whole stored item several times (its condition, a deep clone to change, its size, its index entries) and
 * never hands it on unread: given the items the store's cache shares, it would share them to read only, which tests
 * check by handing out read-only views (readOnlyShared), and walking an item's view member by member costs ~1.5 ms of
 * the store thread against ~30 us to copy the item once (session 72: in tests, a fifth of the store thread's CPU).
 * With its own copy nothing is shared with it, in tests or not; the copy reads as the item does, so it answers and
 * writes the same.
 */
function storeCopyingItems(itemStore) {
  return Object.create(itemStore, {
    getItemDb: {
      value(name) {
        const itemDb = itemStore.getItemDb(name);
        return Object.create(itemDb, { get: { value: (key, callback) => itemDb.get(key, (error, item) => callback(error, ownCopyOf(item))) } });
      },
    },
  });
}
/**
 * The settings dynalite reads from the environment when it creates a store (the account and region in its table
 * descriptions' ARNs). A worker's environment is a copy of the process's made when the worker started, and a worker
 * serves one store after another (embedded-dynamo.ts keeps it for the process's next one): each store gets them as
 * they are when it opens, as a worker started for it would.
 */
const STORE_ENVIRONMENT = ['AWS_ACCOUNT_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION'];

/**
 * Opens one store: dynalite on the LevelDB at `path`, its HTTP server on a free loopback port, and the in-process
 * calls that come on `requests`. Answers `{ port }` once it listens, or `{ error }` (and the worker exits) when the
 * LevelDB cannot be opened. Returns what closes it again; the worker then waits for its next store.
 */
async function openStore({ path, requests, readOnlyShared, answerCachedTables = [], environment = {} }) {
  for (const name of STORE_ENVIRONMENT) {
    if (environment[name] === undefined) delete process.env[name];
    else process.env[name] = environment[name];
  }
  const createStore = db.create;
  let store;
  created = [];
  db.create = (...args) => (store = createStore(...args));
  let server;
  try {
    server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  } finally {
    db.create = createStore;
  }
  try {
    if (created.length !== 1) throw new Error(`expected dynalite to open one LevelDB, it created ${created.length}`);
    await created[0].open();
  } catch (error) {
    const cause = error?.cause ?? error;
    const locked = /lock/i.test(String(cause?.message ?? '')) || cause?.code === 'LEVEL_LOCKED';
    parentPort.postMessage({ error: locked ? 'locked' : String(cause?.message ?? error) });
    process.exit(0);
  }
  await finishInterruptedCreations(created[0]);
  cacheTableDescriptions(created[0], { readOnlyShared });
  cacheItems(created[0], { readOnlyShared });
  const readAnswers = cacheReadAnswers(created[0], { tables: answerCachedTables });
  const itemStore = storeSharingDescriptions(store);
  const updateStore = storeCopyingItems(itemStore);
  server.once('error', (error) => parentPort.postMessage({ error: String(error?.message ?? error) }));
  // DynamoDB calls by operation (the X-Amz-Target header), for `npm run bench:local`'s calls per incident.
  const calls = {};
  server.prependListener('request', (req) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    calls[operation] = (calls[operation] ?? 0) + 1;
  });
  const dynaliteHandlers = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (req.socket && fromWebPage(req)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', connection: 'close' });
      return res.end(JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message: 'requests from web pages are refused' }));
    }
    for (const handler of dynaliteHandlers) handler.call(server, req, res);
  });
  function servedDirectly(id, headers, body) {
    const [api, operation] = String(headers['x-amz-target'] ?? '').split('.');
    const served = api === API ? operations.get(operation) : undefined;
    const contentType = String(headers['content-type'] ?? '').split(';')[0].trim();
    if (!served || !store || body.byteLength === 0 || (contentType !== 'application/json' && contentType !== 'application/x-amz-json-1.0')) return false;
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString();
    const answerHeaders = () => ({ 'x-amzn-requestid': `local-${id}`, 'content-type': contentType !== 'application/x-amz-json-1.0' ? 'application/json' : contentType });
    const cacheKey = `${operation} ${contentType} ${text}`;
    const kept = readAnswers.answer(cacheKey);
    if (kept !== undefined) {
      calls[operation] = (calls[operation] ?? 0) + 1;
      requests.postMessage({ id, statusCode: 200, headers: answerHeaders(), body: kept }, [kept.buffer]);
      return true;
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return false;
    }
    calls[operation] = (calls[operation] ?? 0) + 1;
    // Taken before the read runs: an answer is kept only if no write of its tables overlapped the read.
    let keep;
    const answer = (statusCode, result) => {
      const bytes = new TextEncoder().encode(JSON.stringify(result));
      if (statusCode === 200) keep?.(bytes);
      requests.postMessage({ id, statusCode, headers: answerHeaders(), body: bytes }, [bytes.buffer]);
    };
    try {
      data = validations.checkTypes(data, served.validation.types);
      validations.checkValidations(data, served.validation.types, served.validation.custom, store);
    } catch (error) {
      if (!error.statusCode) throw error;
      answer(error.statusCode, error.body);
      return true;
    }
    keep = readAnswers.reading(cacheKey, operation, data);
    const itemOperation = ITEM_OPERATIONS.has(operation);
    const run = () =>
      served.action(operation === 'UpdateItem' ? updateStore : itemOperation ? itemStore : store, data, (error, result) => {
        if (error?.statusCode) return answer(error.statusCode, error.body);
        if (error) throw error;
        answer(200, result);
      });
    if (itemOperation) sharingDescriptions(run);
    else run();
    return true;
  }
  // In-process calls from the runtime's DynamoDB clients (embedded-dynamo.ts): served as above, or else each message
  // goes to dynalite's own request handler (the 'request' listeners, counting included) as a request and response
  // that carry it instead of a socket; the answer's bytes go back transferred, not copied.
  requests.on('message', ({ id, headers, body }) => {
    if (servedDirectly(id, headers, body)) return;
    const req = Object.assign(new EventEmitter(), { headers, method: 'POST', url: '/' });
    const res = {
      statusCode: 200,
      headers: {},
      setHeader(name, value) {
        this.headers[name.toLowerCase()] = String(value);
      },
      end(text = '') {
        const bytes = new TextEncoder().encode(text);
        requests.postMessage({ id, statusCode: this.statusCode, headers: this.headers, body: bytes }, [bytes.buffer]);
      },
    };
    server.emit('request', req, res);
    req.emit('data', Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    req.emit('end');
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
  return {
    calls,
    /** Closes the store (its server, then its LevelDB once the calls in flight ended); answers `{ closed }`. */
    close() {
      requests.close();
      server.close((error) => parentPort.postMessage({ closed: true, ...(error ? { error: String(error?.message ?? error) } : {}) }));
    },
  };
}

/** The store this worker serves now (none between a close and the next open). */
let current;
parentPort.on('message', async (message) => {
  if (message === 'calls') parentPort.postMessage({ calls: current?.calls ?? {} });
  if (message === 'heap') parentPort.postMessage({ heap: getHeapStatistics() });
  if (message === 'close') {
    const closing = current;
    current = undefined;
    if (closing) closing.close();
    else parentPort.postMessage({ closed: true });
  }
  if (message?.open) current = await openStore(message.open);
});
