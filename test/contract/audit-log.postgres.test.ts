import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { admin, freshSchema } from '../support/postgres.js';
import { auditLogContract } from './audit-log.contract.js';

auditLogContract('PostgreSQL (fresh schema, opened by openStorage)', async () => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  return {
    log: storage.audit,
    sql: (statement) => admin((client) => client.query(`SET search_path = ${schema.name}; ${statement}`)),
    refusedCode: '42501',
    async cleanup() {
      await storage.close();
      await schema.dispose();
    },
  };
});

test('audit:append-only TRUNCATE on audit_events is refused by PostgreSQL too', async () => {
  const schema = await freshSchema();
  const storage = await openStorage(schema.url);
  try {
    await storage.audit.record({
      time: '2026-06-01T09:00:00.000Z',
      action: 'create',
      actor: 'alice',
      clientId: 'c',
      isAdminAction: false,
      outcome: 'ok',
    });
    await assert.rejects(
      admin((client) => client.query(`TRUNCATE ${schema.name}.audit_events`)),
      { code: '42501' },
    );
    assert.equal((await storage.audit.list({ limit: 10 })).length, 1);
  } finally {
    await storage.close();
    await schema.dispose();
  }
});
