import { openStorage } from '../../src/storage/open-storage.js';
import { MAX_TODOS_PER_OWNER, newTodoId } from '../../src/todos/todo.js';

/**
 * Fills an owner's list up to the per-owner limit straight through the storage port, as if they
 * had created that many todos, leaving `room` for more creates. Returns how many were added.
 */
export async function fillToQuota(databaseUrl: string, ownerId: string, room = 0): Promise<number> {
  const storage = await openStorage(databaseUrl);
  try {
    const missing = MAX_TODOS_PER_OWNER - room - (await storage.todos.countOwned(ownerId));
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const seed = (i: number) =>
      storage.todos.insert({
        id: newTodoId(),
        content: `seeded ${i}`,
        ownerId,
        createdAt: at,
        updatedAt: at,
        done: false,
      });
    // A few at a time: a pooled database takes them in parallel, SQLite one after another.
    for (let i = 0; i < missing; i += 16) {
      await Promise.all(Array.from({ length: Math.min(16, missing - i) }, (_, j) => seed(i + j)));
    }
    return missing;
  } finally {
    await storage.close();
  }
}
