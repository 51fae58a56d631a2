import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection folds the write-ahead log into the database. */
const EVERY_MS = 200;

/**
 * The worker's whole program, CommonJS so that it needs no file of its own: a second connection
 * that runs passive checkpoints, which neither wait for nor block the server's connection.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 100');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Checkpoints a SQLite database's write-ahead log from a worker thread. A checkpoint copies the
 * logged pages into the database and syncs it to disk; run by the commit that crosses the
 * autocheckpoint size, it stalls every request behind that commit for tens of milliseconds. In a
 * thread of its own it stalls none, and the server's own autocheckpoint stays as the fallback.
 */
export function startWalCheckpointer(path: string): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { path, driver, everyMs: EVERY_MS },
    // It holds a connection and a timer: a small heap is plenty.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16, stackSizeMb: 1 },
  });
  // A failed worker only means the commits checkpoint themselves again, as SQLite does by default.
  worker.on('error', () => {});
  worker.unref();
  const exited = once(worker, 'exit').then(() => undefined);
  return {
    async stop() {
      // Held open until the worker has closed its connection, even when nothing else runs.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
