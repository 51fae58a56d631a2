import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { createPool, endPool } from '../../src/storage/postgres/create-pool.js';
import { migrate } from '../../src/storage/postgres/migrations.js';
import { createPostgresTodoStore } from '../../src/storage/postgres/postgres-todo-store.js';
import type { ListQuery } from '../../src/todos/todo-store.js';
import { admin, freshSchema, type TestDatabase } from '../support/postgres.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];
const describePlan = (nodes: PlanNode[]) =>
  nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`).join(' > ');

/** Records the SQL and parameters of every statement a pool runs, so the store's real queries can be explained. */
function recordQueries(pool: pg.Pool): { text: string; values: unknown[] }[] {
  const seen: { text: string; values: unknown[] }[] = [];
  const query = pool.query.bind(pool) as (
    text: string | pg.QueryConfig,
    values?: unknown[],
  ) => Promise<pg.QueryResult>;
  // The store names its statements (a query config), so that each connection prepares them once.
  pool.query = ((textOrConfig: string | pg.QueryConfig, values: unknown[] = []) => {
    const isConfig = typeof textOrConfig !== 'string';
    seen.push({
      text: isConfig ? textOrConfig.text : textOrConfig,
      values: isConfig ? (textOrConfig.values ?? []) : values,
    });
    return isConfig ? query(textOrConfig) : query(textOrConfig, values);
  }) as typeof pool.query;
  return seen;
}

const ROWS = 20_000;
const T0 = Date.parse('2026-05-01T08:00:00.000Z');
const middle = { createdAt: new Date(T0 + (ROWS / 2) * 1000).toISOString(), id: 'M'.repeat(22) };
const PAGE_QUERIES: Record<string, Omit<ListQuery, 'limit'>> = {
  'own list': { reach: { kind: 'owner', ownerId: 'owner-5' } },
  'all list': { reach: { kind: 'any' } },
  'own list after a key': { reach: { kind: 'owner', ownerId: 'owner-5' }, after: middle },
  'all list after a key': { reach: { kind: 'any' }, after: middle },
  'own list, done and text, after a key': {
    reach: { kind: 'owner', ownerId: 'owner-5' },
    after: middle,
    done: false,
    text: 'milk',
  },
  'all list, done and text, after a key': { reach: { kind: 'any' }, after: middle, done: true, text: 'MILK' },
};

describe('PostgreSQL todo store: query plans over 20,000 analyzed rows', () => {
  let schema: TestDatabase;
  let pool: pg.Pool;

  before(async () => {
    schema = await freshSchema();
    pool = createPool(schema.url);
    await migrate(pool);
    await admin(async (client) => {
      await client.query(
        `INSERT INTO todos (id, owner_id, content, done, created_at, updated_at)
         SELECT lpad(i::text, 22, '0'), 'owner-' || (i % 7), CASE WHEN i % 5 = 0 THEN 'buy milk' ELSE 'other' END,
                i % 2 = 0, $1::timestamptz + i * interval '1 second', $1::timestamptz + i * interval '1 second'
         FROM generate_series(1, $2::integer) AS i`,
        [new Date(T0).toISOString(), ROWS],
      );
      await client.query('ANALYZE todos');
    }, schema.url);
  });
  after(async () => {
    await endPool(pool);
    await schema.dispose();
  });

  for (const plan of ['custom', 'generic'] as const) {
    for (const [name, query] of Object.entries(PAGE_QUERIES)) {
      const expectedIndex = query.reach.kind === 'owner' ? 'todos_by_owner' : 'todos_by_time';
      test(`${name} reads ${expectedIndex} in order: no Seq Scan, no Sort (${plan} plan)`, async () => {
        const seen = recordQueries(pool);
        const store = createPostgresTodoStore(pool);
        const rows = await store.list({ ...query, limit: 51 });
        assert.ok(rows.length > 0, 'the query finds rows, so the plan is for a real page');
        assert.equal(seen.length, 1, 'one page query ran');
        const { text, values } = seen[0] as { text: string; values: unknown[] };
        const nodes = await admin(async (client) => {
          await client.query(`SET plan_cache_mode = force_${plan}_plan`);
          const result = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
            `EXPLAIN (FORMAT JSON) ${text}`,
            values,
          );
          const [explained] = result.rows[0]?.['QUERY PLAN'] ?? [];
          assert.ok(explained, 'EXPLAIN returned a plan');
          return flatten(explained.Plan);
        }, schema.url);
        const shape = describePlan(nodes);
        assert.ok(
          nodes.some((n) => n['Index Name'] === expectedIndex),
          `uses ${expectedIndex}: ${shape}`,
        );
        assert.ok(!nodes.some((n) => n['Node Type'] === 'Seq Scan'), `no Seq Scan: ${shape}`);
        assert.ok(!nodes.some((n) => n['Node Type'].includes('Sort')), `no Sort: ${shape}`);
        const scan = nodes.find((n) => n['Index Name'] === expectedIndex);
        if (query.reach.kind === 'owner') assert.match(scan?.['Index Cond'] ?? '', /owner_id =/, shape);
        if (query.after !== undefined) {
          assert.match(
            scan?.['Index Cond'] ?? '',
            /ROW\(created_at, id\) </,
            'the key is a seek, not a filter',
          );
        }
      });
    }
  }
});
