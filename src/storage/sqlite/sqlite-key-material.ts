import type Database from 'better-sqlite3';
import type { KeyMaterialStore, SigningKeyRecord } from '../auth-store.js';
import { type SigningKeyRow, toSigningKey } from '../signing-key-rows.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** The server's key material in SQLite: token signing keys and named secrets. */
export function createSqliteKeyMaterial(db: Database.Database): KeyMaterialStore {
  const q = {
    keys: db.prepare('SELECT * FROM signing_keys ORDER BY rowid DESC'),
    insertKey: db.prepare(
      'INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES (@kid, @privateJwk, @createdAt)',
    ),
    retireKeys: db.prepare('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?'),
    deleteKey: db.prepare('DELETE FROM signing_keys WHERE kid = ?'),
    secret: db.prepare('SELECT value FROM secrets WHERE name = ?'),
    insertSecret: db.prepare('INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
  };
  const addKey = db.transaction((key: SigningKeyRecord, retiredAt: string) => {
    q.insertKey.run({ kid: key.kid, privateJwk: key.privateJwk, createdAt: key.createdAt });
    q.retireKeys.run(retiredAt, key.kid);
  });

  return {
    listSigningKeys: async () =>
      (q.keys.all() as SigningKeyRow<string>[]).map((row) => toSigningKey(row, SQLITE_VALUES)),
    async addSigningKey(key, retiredAt) {
      addKey.immediate(key, retiredAt);
    },
    async deleteSigningKey(kid) {
      q.deleteKey.run(kid);
    },

    async secret(name, generate) {
      q.insertSecret.run(name, generate());
      return (q.secret.get(name) as { value: string }).value;
    },
  };
}
