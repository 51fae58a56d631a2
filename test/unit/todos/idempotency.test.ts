import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStorage } from '../../../src/storage/open-storage.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH, newTodoId } from '../../../src/todos/todo.js';
import { createTodoService } from '../../../src/todos/todo-service.js';

const ann = { subject: 'ann', scopes: new Set(['create:todos']) };

test('a create with a known idempotency key returns the first todo; with other content it is refused', async () => {
  const storage = await openStorage(':memory:');
  try {
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    const todos = createTodoService({ store: storage.todos, clock: () => new Date(now), newId: newTodoId });
    const first = await todos.create(ann, ' tea ', { idempotencyKey: 'k' });
    now += 1000;
    assert.deepEqual(
      await todos.create(ann, 'tea', { idempotencyKey: 'k' }),
      first,
      'content is compared trimmed',
    );
    await assert.rejects(todos.create(ann, 'coffee', { idempotencyKey: 'k' }), { code: 'invalid_params' });
    await assert.rejects(
      todos.create(ann, 'tea', { idempotencyKey: 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1) }),
      {
        code: 'invalid_params',
      },
    );
    now += 24 * 60 * 60 * 1000 + 1000;
    assert.notEqual(
      (await todos.create(ann, 'tea', { idempotencyKey: 'k' })).id,
      first.id,
      'forgotten after a day',
    );
    assert.equal(await storage.todos.countOwned('ann'), 2);
  } finally {
    await storage.close();
  }
});
