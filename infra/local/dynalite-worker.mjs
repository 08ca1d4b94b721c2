// dynalite in a worker thread: LevelDB reads and writes, item (de)serialisation and the HTTP parsing of every
// DynamoDB call run on a core of their own instead of the event loop that runs the handlers (about half of an
// incident's CPU time was the embedded store). Plain JavaScript so it loads the same under tsx, vitest and node.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

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

const { path } = workerData;
// dynalite opens its LevelDB lazily and drops the open error: when the open fails (the folder is locked by another
// runtime, or unreadable), every later call answers "Database is closed" — the start-up flake, since the first
// call is creating the tables. An earlier probe (open, close, then let dynalite open) left a window in which a
// second runtime started at the same moment passed the probe too, and the loser got "Database is closed". Now the
// worker keeps the instance dynalite creates, waits for its open and reports the real outcome before listening.
const levelModule = requireFromDynalite('level');
const created = [];
const DynaliteLevel = levelModule.Level;
levelModule.Level = class TrackedLevel extends DynaliteLevel {
  constructor(...args) {
    super(...args);
    created.push(this);
  }
};

const dynalite = require('dynalite');
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
levelModule.Level = DynaliteLevel;
try {
  if (created.length !== 1) throw new Error(`expected dynalite to open one LevelDB, it created ${created.length}`);
  await created[0].open();
} catch (error) {
  const cause = error?.cause ?? error;
  const locked = /lock/i.test(String(cause?.message ?? '')) || cause?.code === 'LEVEL_LOCKED';
  parentPort.postMessage({ error: locked ? 'locked' : String(cause?.message ?? error) });
  process.exit(0);
}
server.once('error', (error) => parentPort.postMessage({ error: String(error?.message ?? error) }));
// DynamoDB calls by operation (the X-Amz-Target header), for `npm run bench:local`'s calls per incident.
const calls = {};
server.prependListener('request', (req) => {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
  calls[operation] = (calls[operation] ?? 0) + 1;
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'calls') parentPort.postMessage({ calls });
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
