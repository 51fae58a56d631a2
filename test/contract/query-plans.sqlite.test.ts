import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Database from 'better-sqlite3';
import { migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteTodoStore } from '../../src/storage/sqlite/sqlite-todo-store.js';
import type { Todo } from '../../src/todos/todo.js';
import type { ListQuery } from '../../src/todos/todo-store.js';

/** Records the SQL of every statement the store prepares, so its real queries can be explained. */
function recordPreparedSql(db: Database.Database): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  return seen;
}

describe('SQLite todo store: query plans', () => {
  const T0 = Date.parse('2026-05-01T08:00:00.000Z');
  const after = { createdAt: new Date(T0 + 500).toISOString(), id: 'M'.repeat(22) };
  const PAGE_QUERIES: Record<string, Omit<ListQuery, 'limit'>> = {
    'own list': { reach: { kind: 'owner', ownerId: 'owner-5' } },
    'all list': { reach: { kind: 'any' } },
    'own list after a key': { reach: { kind: 'owner', ownerId: 'owner-5' }, after },
    'all list after a key': { reach: { kind: 'any' }, after },
    'own list, done and text, after a key': {
      reach: { kind: 'owner', ownerId: 'owner-5' },
      after,
      done: false,
      text: 'milk',
    },
    'all list, done and text, after a key': { reach: { kind: 'any' }, after, done: true, text: 'milk' },
  };

  for (const analyzed of [false, true]) {
    for (const [name, query] of Object.entries(PAGE_QUERIES)) {
      const expectedIndex = query.reach.kind === 'owner' ? 'todos_by_owner' : 'todos_by_time';
      test(`${name} reads ${expectedIndex} in order: no table scan, no temp b-tree${analyzed ? ' (after ANALYZE)' : ''}`, async () => {
        const db = openDatabase(':memory:');
        try {
          migrate(db);
          const seen = recordPreparedSql(db);
          const store = createSqliteTodoStore(db);
          for (let i = 0; i < 400; i++) {
            const createdAt = new Date(T0 + i * 3).toISOString();
            const todo: Todo = {
              id: `${String(i).padStart(4, '0')}${'x'.repeat(18)}`,
              content: i % 5 === 0 ? 'buy milk' : 'other',
              ownerId: `owner-${i % 20}`,
              createdAt,
              updatedAt: createdAt,
              done: i % 2 === 0,
            };
            await store.insert(todo);
          }
          if (analyzed) db.exec('ANALYZE');

          const before = seen.length;
          const rows = await store.list({ ...query, limit: 51 });
          assert.ok(rows.length > 0, 'the query finds rows, so the plan is for a real page');
          const selects = seen.slice(before).filter((sql) => /^\s*SELECT\b/i.test(sql));
          assert.equal(selects.length, 1, 'one page query was prepared');
          const sql = selects[0] as string;
          const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
          const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map(
            (row) => row.detail,
          );
          assert.ok(
            plan.some((detail) => detail.includes(`INDEX ${expectedIndex}`)),
            `uses ${expectedIndex}: ${plan.join(' | ')}`,
          );
          assert.ok(!plan.some((detail) => /TEMP B-TREE/.test(detail)), `no sort step: ${plan.join(' | ')}`);
          assert.ok(
            !plan.some((detail) => /^SCAN todos$/.test(detail)),
            `no table scan: ${plan.join(' | ')}`,
          );
          if (query.after !== undefined || query.reach.kind === 'owner') {
            assert.ok(
              plan.some((detail) => detail.startsWith('SEARCH todos USING')),
              `seeks into the index: ${plan.join(' | ')}`,
            );
          }
        } finally {
          db.close();
        }
      });
    }
  }
});
