import { randomBytes } from 'node:crypto';
import type { Notice } from '../pages/console-parts.js';
import type { ConsoleDeps } from './console-deps.js';

const MODEL = 'ConsoleNotice';
const NOTICE_SECONDS = 120;

/**
 * One-time notices between a form's post and the page its 303 leads to (POST-redirect-GET):
 * kept in the database so that any instance shows it, bound to the session that made the
 * change, and deleted when shown, so a generated password is displayed once and never in a URL.
 * Such a password is in the database until then, two minutes at most (until the hourly purge
 * removes an expired one, no lookup finds it); the users table beside it holds what it unlocks.
 */
export function createNotices(store: ConsoleDeps['store']) {
  return {
    async put(sessionUid: string, notice: Notice): Promise<string> {
      const id = randomBytes(16).toString('base64url');
      const expiresAt = Math.floor(Date.now() / 1000) + NOTICE_SECONDS;
      await store.upsertModel(MODEL, id, { payload: { sessionUid, ...notice }, expiresAt });
      return id;
    },
    async take(sessionUid: string, id: string | null): Promise<Notice | undefined> {
      if (id === null || !/^[\w-]{22}$/.test(id)) return undefined;
      const stored = await store.findModel(MODEL, id);
      if (stored?.sessionUid !== sessionUid) return undefined;
      await store.destroyModel(MODEL, id);
      const { kind, text, secret } = stored as { kind: Notice['kind']; text: string; secret?: string };
      return { kind, text, ...(secret !== undefined && { secret }) };
    },
  };
}

export type Notices = ReturnType<typeof createNotices>;
