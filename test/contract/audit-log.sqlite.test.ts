import { migrate } from '../../src/storage/sqlite/migrations.js';
import { openDatabase } from '../../src/storage/sqlite/open-database.js';
import { createSqliteAuditLog } from '../../src/storage/sqlite/sqlite-audit-log.js';
import { makeTempDir } from '../support/temp-dir.js';
import { auditLogContract } from './audit-log.contract.js';

auditLogContract('SQLite (temporary file)', async () => {
  const dir = await makeTempDir('audit-log-contract-');
  const db = openDatabase(dir.file('audit.db'));
  migrate(db);
  return {
    log: createSqliteAuditLog(db),
    sql: async (statement) => db.prepare(statement).run(),
    refusedCode: 'SQLITE_CONSTRAINT_TRIGGER',
    async cleanup() {
      db.close();
      await dir.dispose();
    },
  };
});
