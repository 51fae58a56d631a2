import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStorage } from '../../../src/storage/open-storage.js';
import { MAX_TODOS_PER_OWNER, newTodoId } from '../../../src/todos/todo.js';
import { createTodoService } from '../../../src/todos/todo-service.js';

test('abuse:todo-cap a user at the cap cannot create more; other users can', async () => {
  const storage = await openStorage(':memory:');
  try {
    const todos = createTodoService({ store: storage.todos, clock: () => new Date(), newId: newTodoId });
    const at = new Date().toISOString();
    for (let i = 0; i < MAX_TODOS_PER_OWNER; i += 1) {
      await storage.todos.insert({
        id: newTodoId(),
        content: `t${i}`,
        ownerId: 'hoarder',
        createdAt: at,
        updatedAt: at,
        done: false,
      });
    }
    const hoarder = { subject: 'hoarder', scopes: new Set(['create:todos']) };
    await assert.rejects(todos.create(hoarder, 'one too many'), { code: 'quota_exceeded' });
    assert.equal(await storage.todos.countOwned('hoarder'), MAX_TODOS_PER_OWNER, 'nothing was stored');
    const other = { subject: 'someone', scopes: new Set(['create:todos']) };
    assert.equal((await todos.create(other, 'fine')).ownerId, 'someone');
  } finally {
    await storage.close();
  }
});
