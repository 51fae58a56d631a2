import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { auditLogContract } from './audit-log.contract.js';

auditLogContract('SQLite (temporary file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'audit-log-contract-'));
  const db = openDatabase(join(dir, 'audit.db'));
  migrate(db);
  return {
    log: createSqliteAuditLog(db),
    sql: async (statement) => db.prepare(statement).run(),
    refusedCode: 'SQLITE_CONSTRAINT_TRIGGER',
    async cleanup() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
