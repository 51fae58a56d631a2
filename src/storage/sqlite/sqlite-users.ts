import type Database from 'better-sqlite3';
import type { UserRecord, UserStore } from '../auth-store.js';
import { toUser, type UserRow } from '../user-rows.js';
import { SQLITE_VALUES } from './sqlite-values.js';

/** The accounts people sign in with, in SQLite. */
export function createSqliteUsers(db: Database.Database): UserStore {
  const q = {
    insertUser: db.prepare(`INSERT INTO users (id, username, password_hash, role, created_at)
      VALUES (@id, @username, @passwordHash, @role, @createdAt)`),
    userByName: db.prepare('SELECT * FROM users WHERE username = ?'),
    userById: db.prepare('SELECT * FROM users WHERE id = ?'),
    users: db.prepare('SELECT * FROM users ORDER BY username'),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    setDisabled: db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?'),
    countUsers: db.prepare('SELECT count(*) AS n FROM users'),
  };

  // Immediate: the write lock is taken before the count, so two processes cannot both see none.
  const insertFirst = db.transaction((users: readonly UserRecord[]) => {
    if ((q.countUsers.get() as { n: number }).n > 0) return false;
    for (const user of users) q.insertUser.run(user);
    return true;
  });

  return {
    async insertUser(user) {
      q.insertUser.run(user);
    },
    insertFirstUsers: async (users) => insertFirst.immediate(users),
    findUserByUsername: async (username) => {
      const row = q.userByName.get(username) as UserRow<string> | undefined;
      return row && toUser(row, SQLITE_VALUES);
    },
    findUserById: async (id) => {
      const row = q.userById.get(id) as UserRow<string> | undefined;
      return row && toUser(row, SQLITE_VALUES);
    },
    listUsers: async () => (q.users.all() as UserRow<string>[]).map((row) => toUser(row, SQLITE_VALUES)),
    deleteUser: async (id) => q.deleteUser.run(id).changes > 0,
    setUserRole: async (id, role) => q.setRole.run(role, id).changes > 0,
    setUserPassword: async (id, hash) => q.setPassword.run(hash, id).changes > 0,
    setUserDisabled: async (id, at) => q.setDisabled.run(at ?? null, id).changes > 0,
    countUsers: async () => (q.countUsers.get() as { n: number }).n,
  };
}
