import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { AppError } from '../../src/errors.js';
import { createPool, endPool, POOL_DEFAULTS, poolStats } from '../../src/storage/postgres/create-pool.js';
import { admin, useFreshSchema } from '../support/postgres.js';

describe('PostgreSQL connection pool', () => {
  const schema = useFreshSchema();

  const withPool = async (run: (pool: pg.Pool) => Promise<void>, url = schema.url) => {
    const pool = createPool(url);
    try {
      await run(pool);
    } finally {
      await endPool(pool);
    }
  };

  test('every connection carries the timeouts and the application name', async () => {
    await withPool(async (pool) => {
      const { rows } = await pool.query<Record<string, string>>(`SELECT
        current_setting('statement_timeout') AS statement,
        current_setting('idle_in_transaction_session_timeout') AS idle_in_transaction,
        current_setting('application_name') AS application,
        current_setting('search_path') AS search_path`);
      assert.deepEqual(rows[0], {
        statement: '5s',
        idle_in_transaction: '10s',
        application: 'todo-manager-mcp',
        search_path: schema.name,
      });
    });
  });

  test('a statement over the limit is cancelled by the server and reported as an outage (503)', async () => {
    await withPool(async (pool) => {
      await assert.rejects(pool.query('SELECT pg_sleep(2)'), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'temporarily_unavailable');
        assert.equal((error.cause as { code?: string }).code, '57014');
        return true;
      });
    }, `${schema.url}&statement_timeout=100`);
  });

  test('a query that is merely wrong is not mistaken for an outage', async () => {
    await withPool(async (pool) => {
      await assert.rejects(pool.query('SELECT * FROM no_such_table'), { code: '42P01' });
    });
  });

  test('at most 10 connections by default; further callers wait, and the stats show it', async () => {
    assert.equal(POOL_DEFAULTS.max, 10);
    assert.equal(POOL_DEFAULTS.connectionTimeoutMillis, 5_000);
    assert.equal(POOL_DEFAULTS.idleTimeoutMillis, 30_000);
    await withPool(async (pool) => {
      assert.deepEqual(poolStats(pool), { total: 0, idle: 0, waiting: 0 });
      const running = Promise.all(Array.from({ length: 13 }, () => pool.query('SELECT pg_sleep(0.3)')));
      await sleep(150);
      assert.deepEqual(poolStats(pool), { total: 10, idle: 0, waiting: 3 });
      await running;
      assert.deepEqual(poolStats(pool), { total: 10, idle: 10, waiting: 0 });
    });
  });

  test('idle connections that the server drops (a restart) neither crash the process nor break the pool', async () => {
    await withPool(async (pool) => {
      const pids = await Promise.all(
        Array.from({ length: 3 }, () =>
          pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)'),
        ),
      );
      assert.ok(poolStats(pool).idle > 0);
      await admin((client) =>
        client.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [
          pids.map((r) => r.rows[0]?.pid),
        ]),
      );
      for (let i = 0; i < 100 && poolStats(pool).total > 0; i++) await sleep(20);
      assert.equal(poolStats(pool).total, 0, 'the broken connections were discarded');
      assert.deepEqual((await pool.query('SELECT 1 AS ok')).rows, [{ ok: 1 }]);
    });
  });

  test('ending twice is harmless, and a query after the end fails', async () => {
    const pool = createPool(schema.url);
    await pool.query('SELECT 1');
    await endPool(pool);
    await endPool(pool);
    await assert.rejects(pool.query('SELECT 1'));
  });
});
