import { ALL_SCOPES, type RunningApp, startApp } from './app-server.js';
import type { IssuerHandle, OfferedScenario } from './protocol.js';
import { mcpHeaders, toolCall } from './protocol.js';
import { describeSeed, newIds, type SeedPlan, seedTodos } from './seed.js';
import { callOnce, todoPage } from './tool-response.js';

const PAGE = 50;
const MAX_PAGE = 200;
/** Seeded before the deep cursor is taken: the walk to it then costs one request. */
const OLDEST_FIRST = 250;

export interface ScaleSetup {
  readonly running: RunningApp;
  readonly scenarios: OfferedScenario[];
  readonly notes: string[];
}

/**
 * (d) The real server over `total` todos spread evenly over `userCount` users, offering the first
 * and the deepest page of everyone's todos (an admin with read:todos) and of one user's own.
 *
 * The admin's deep cursor is taken without walking 5,000 pages: the oldest 250 todos are seeded
 * first, the cursor after the 200 newest of them is read from the server, and the rest (all
 * younger) are seeded after. A keyset cursor still points at the oldest 50 todos then; the setup
 * checks that it does, and walks the whole list instead if the server's cursors work otherwise.
 */
export async function setUpScale(
  databaseUrl: string,
  issuer: IssuerHandle,
  total: number,
  userCount: number,
): Promise<ScaleSetup> {
  const users = Array.from({ length: userCount }, (_, i) => `bench-user-${String(i).padStart(5, '0')}`);
  const plan: SeedPlan = { total, users, startMs: Date.now() - (total + 86_400) * 1000 };
  const ids = newIds(total);
  const first = Math.min(OLDEST_FIRST, total);
  const early = await seedTodos(databaseUrl, plan, ids, 0, first);
  const running = await startApp(databaseUrl, issuer);
  const notes: string[] = [];
  try {
    const admin = await running.token('bench-admin', ALL_SCOPES);
    const user = users[0] as string;
    const userToken = await running.token(user, 'create:todos');
    const request = (token: string) => (args: Record<string, unknown>) => ({
      url: running.mcpUrl,
      headers: mcpHeaders(token),
      body: toolCall('get-todos', args),
    });
    const newestFirst = (indexes: number[]) => indexes.sort((a, b) => b - a).map((i) => ids[i] as string);
    const oldest = newestFirst(Array.from({ length: Math.min(PAGE, total) }, (_, i) => i));

    let deepCursor = (await walk(request(admin), first - PAGE)).cursor;
    const rest = await seedTodos(databaseUrl, plan, ids, first, total);
    notes.push(
      `seeded ${total.toLocaleString('en')} todos in ${((early.ms + rest.ms) / 1000).toFixed(1)} s, ${describeSeed(rest)}`,
    );

    const deepIds = async (cursor: string | undefined) =>
      todoPage(await callOnce({ ...request(admin)({ limit: PAGE, cursor }), expect: {} })).ids;
    if (deepCursor === undefined || (await deepIds(deepCursor)).join() !== oldest.join()) {
      notes.push(
        'the deep cursor was found by walking all pages: one taken before seeding did not keep its place',
      );
      deepCursor = (await walk(request(admin), total - PAGE)).cursor;
    } else {
      notes.push(
        'the deep cursor was taken before seeding the younger todos and checked to lead to the oldest page',
      );
    }

    const userIndexes = Array.from({ length: Math.ceil(total / userCount) }, (_, k) => k * userCount).filter(
      (i) => i < total,
    );
    const userNewest = newestFirst([...userIndexes]);
    const userWalk = await walk(request(userToken), Math.max(0, userIndexes.length - PAGE));

    const scenarios: OfferedScenario[] = [
      {
        id: 'admin-first',
        request: {
          ...request(admin)({ limit: PAGE }),
          expect: { todoIds: newestFirst(rangeDown(total, PAGE)) },
        },
      },
      {
        id: 'admin-deep',
        request: { ...request(admin)({ limit: PAGE, cursor: deepCursor }), expect: { todoIds: oldest } },
      },
      {
        id: 'user-first',
        request: { ...request(userToken)({ limit: PAGE }), expect: { todoIds: userNewest.slice(0, PAGE) } },
      },
      {
        id: 'user-deep',
        request: {
          ...request(userToken)({ limit: PAGE, cursor: userWalk.cursor }),
          expect: { todoIds: userNewest.slice(-PAGE) },
        },
      },
    ];
    notes.push(`${userIndexes.length} todos per user`);
    return { running, scenarios, notes };
  } catch (error) {
    await running.close();
    throw error;
  }
}

function rangeDown(total: number, count: number): number[] {
  return Array.from({ length: Math.min(count, total) }, (_, i) => total - 1 - i);
}

/** Follows nextCursor from the first page until exactly `skip` todos are behind the cursor. */
async function walk(
  request: (args: Record<string, unknown>) => { url: string; headers: Record<string, string>; body: string },
  skip: number,
): Promise<{ cursor: string | undefined }> {
  let cursor: string | undefined;
  let seen = 0;
  while (seen < skip) {
    const limit = Math.min(MAX_PAGE, skip - seen);
    const page = todoPage(
      await callOnce({ ...request({ limit, ...(cursor !== undefined && { cursor }) }), expect: {} }),
    );
    seen += page.ids.length;
    cursor = page.nextCursor;
    if (cursor === undefined || page.ids.length < limit) return { cursor: undefined };
  }
  return { cursor };
}
