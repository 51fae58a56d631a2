import { openStorage } from '../../src/storage/open-storage.js';
import { MAX_TODOS_PER_OWNER, newTodoId } from '../../src/todos/todo.js';

/**
 * Fills an owner's list up to the per-owner limit straight through the storage port, as if they
 * had created that many todos: the next create is over quota. Returns how many were added.
 */
export async function fillToQuota(databaseUrl: string, ownerId: string): Promise<number> {
  const storage = await openStorage(databaseUrl);
  try {
    const missing = MAX_TODOS_PER_OWNER - (await storage.todos.countOwned(ownerId));
    const at = new Date(Date.now() - 86_400_000).toISOString();
    for (let i = 0; i < missing; i += 1) {
      await storage.todos.insert({
        id: newTodoId(),
        content: `seeded ${i}`,
        ownerId,
        createdAt: at,
        updatedAt: at,
        done: false,
      });
    }
    return missing;
  } finally {
    await storage.close();
  }
}
