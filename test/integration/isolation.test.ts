import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, connectClient } from '../support/mcp-client.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ctx = useServerWithIssuer();

const USERS = 12;
const ROUNDS = 15;

test('rbac:no-cross-talk many concurrent callers of different users never see each other’s data', async () => {
  const clients = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const subject = `user-${i}`;
      const token = await ctx.issuer.sign({
        claims: { sub: subject, scope: 'create:todos', client_id: `client-${i}` },
      });
      return {
        subject,
        client: await connectClient(ctx.server.mcpUrl, token, i % 2 === 0 ? 'legacy' : 'modern'),
      };
    }),
  );
  const leaks: string[] = [];
  await Promise.all(
    clients.map(async ({ subject, client }) => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const [created, listed, who] = await Promise.all([
          call(client, 'create-todo', { content: `${subject} round ${round}` }),
          call(client, 'get-todos', { limit: 200 }),
          call(client, 'whoami'),
        ]);
        if (created.value.ownerId !== subject)
          leaks.push(`create for ${subject} → ${String(created.value.ownerId)}`);
        if (who.value.subject !== subject) leaks.push(`whoami for ${subject} → ${String(who.value.subject)}`);
        for (const todo of listed.value.todos as { ownerId: string; content: string }[]) {
          if (todo.ownerId !== subject || !todo.content.startsWith(`${subject} `)) {
            leaks.push(`get-todos for ${subject} → ${todo.ownerId}`);
          }
        }
      }
    }),
  );
  assert.deepEqual(leaks, []);
  for (const { subject, client } of clients) {
    const listed = await call(client, 'get-todos', { limit: 200 });
    assert.equal((listed.value.todos as unknown[]).length, ROUNDS, `${subject} sees exactly their own todos`);
    await client.close();
  }
});
