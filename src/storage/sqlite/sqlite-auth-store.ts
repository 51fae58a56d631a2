import type Database from 'better-sqlite3';
import type { AuthStore, SigningKeyRecord } from '../auth-store.js';
import { columnsOf, epoch, type ModelRow, payloadOf } from '../oidc-model-rows.js';
import { type SigningKeyRow, toSigningKey } from '../signing-key-rows.js';
import { toUser, type UserRow } from '../user-rows.js';

// SQLite keeps the ISO text the domain wrote.
const isoText = (text: string) => text;

/** The authorization server's state in the same SQLite database as the todos. */
export function createSqliteAuthStore(db: Database.Database): AuthStore {
  const live = '(expires_at IS NULL OR expires_at > ?)';
  const q = {
    upsert:
      db.prepare(`INSERT INTO oidc_models (model, id, payload, grant_id, user_code, uid, account_id, expires_at)
      VALUES (@model, @id, @payload, @grant_id, @user_code, @uid, @account_id, @expires_at)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        user_code = excluded.user_code, uid = excluded.uid, account_id = excluded.account_id,
        expires_at = excluded.expires_at, consumed_at = NULL`),
    find: db.prepare(`SELECT payload, consumed_at FROM oidc_models WHERE model = ? AND id = ? AND ${live}`),
    findByUid: db.prepare(
      `SELECT payload, consumed_at FROM oidc_models WHERE model = ? AND uid = ? AND ${live}`,
    ),
    findByUserCode: db.prepare(
      `SELECT payload, consumed_at FROM oidc_models WHERE model = ? AND user_code = ? AND ${live}`,
    ),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    revokeGrant: db.prepare("DELETE FROM oidc_models WHERE grant_id = ? OR (model = 'Grant' AND id = ?)"),
    accountGrants: db.prepare("SELECT id FROM oidc_models WHERE model = 'Grant' AND account_id = ?"),
    revokeAccount: db.prepare('DELETE FROM oidc_models WHERE account_id = ?'),
    purge: db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    insertUser: db.prepare(`INSERT INTO users (id, username, password_hash, role, created_at)
      VALUES (@id, @username, @passwordHash, @role, @createdAt)`),
    userByName: db.prepare('SELECT * FROM users WHERE username = ?'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    users: db.prepare('SELECT * FROM users ORDER BY username'),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    countUsers: db.prepare('SELECT count(*) AS n FROM users'),
    keys: db.prepare('SELECT * FROM signing_keys ORDER BY rowid DESC'),
    insertKey: db.prepare(
      'INSERT INTO signing_keys (kid, private_jwk, created_at) VALUES (@kid, @privateJwk, @createdAt)',
    ),
    retireKeys: db.prepare('UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL AND kid <> ?'),
    deleteKey: db.prepare('DELETE FROM signing_keys WHERE kid = ?'),
    secret: db.prepare('SELECT value FROM secrets WHERE name = ?'),
    insertSecret: db.prepare('INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
  };

  const revokeAccount = db.transaction((accountId: string) => {
    for (const { id } of q.accountGrants.all(accountId) as { id: string }[]) q.revokeGrant.run(id, id);
    q.revokeAccount.run(accountId);
  });
  const addKey = db.transaction((key: SigningKeyRecord, retiredAt: string) => {
    q.insertKey.run({ kid: key.kid, privateJwk: key.privateJwk, createdAt: key.createdAt });
    q.retireKeys.run(retiredAt, key.kid);
  });

  return {
    async upsertModel(model, id, record) {
      q.upsert.run({ model, id, ...columnsOf(record) });
    },
    findModel: async (model, id) => payloadOf(q.find.get(model, id, epoch()) as ModelRow | undefined),
    findModelByUid: async (model, uid) =>
      payloadOf(q.findByUid.get(model, uid, epoch()) as ModelRow | undefined),
    findModelByUserCode: async (model, code) =>
      payloadOf(q.findByUserCode.get(model, code, epoch()) as ModelRow | undefined),
    async consumeModel(model, id, at) {
      q.consume.run(at, model, id);
    },
    async destroyModel(model, id) {
      q.destroy.run(model, id);
    },
    async revokeGrant(grantId) {
      q.revokeGrant.run(grantId, grantId);
    },
    async revokeAccount(accountId) {
      revokeAccount(accountId);
    },
    purgeExpired: async (now) => q.purge.run(now).changes,

    async insertUser(user) {
      q.insertUser.run(user);
    },
    findUserByUsername: async (username) => {
      const row = q.userByName.get(username) as UserRow<string> | undefined;
      return row && toUser(row, isoText);
    },
    findUserById: async (id) => {
      const row = q.userById.get(id) as UserRow<string> | undefined;
      return row && toUser(row, isoText);
    },
    listUsers: async () => (q.users.all() as UserRow<string>[]).map((row) => toUser(row, isoText)),
    deleteUser: async (id) => q.deleteUser.run(id).changes > 0,
    setUserRole: async (id, role) => q.setRole.run(role, id).changes > 0,
    setUserPassword: async (id, hash) => q.setPassword.run(hash, id).changes > 0,
    countUsers: async () => (q.countUsers.get() as { n: number }).n,

    listSigningKeys: async () =>
      (q.keys.all() as SigningKeyRow<string>[]).map((row) => toSigningKey(row, isoText)),
    async addSigningKey(key, retiredAt) {
      addKey(key, retiredAt);
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
