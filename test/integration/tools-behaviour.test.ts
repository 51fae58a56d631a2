import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/client';
import { connectClient, type Era, listedToolNames } from '../support/mcp-client.js';
import { callRaw, expectSuccess, expectToolError } from '../support/tool-result.js';
import { useServerWithIssuer } from '../support/use-server.js';

const ALL_SCOPES = 'create:todos read:todos delete:todos';

const ctx = useServerWithIssuer();

interface JsonSchema {
  type?: string;
  properties?: Record<string, unknown>;
  required?: string[];
}

for (const era of ['legacy', 'modern'] as const satisfies readonly Era[]) {
  describe(`tool behaviour (${era})`, () => {
    const subject = `tess-${era}`;
    let client: Client;

    before(async () => {
      client = await connectClient(
        ctx.server.mcpUrl,
        await ctx.issuer.sign({ claims: { sub: subject, scope: ALL_SCOPES } }),
        era,
      );
    });
    after(async () => {
      await client.close();
    });

    test('tools/list shows the six tools, each with input and output schemas', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), listedToolNames(ALL_SCOPES));
      for (const tool of tools) {
        assert.equal(tool.inputSchema.type, 'object', `${tool.name} input`);
        assert.equal((tool.outputSchema as JsonSchema | undefined)?.type, 'object', `${tool.name} output`);
        assert.ok((tool.description ?? '').length > 20, `${tool.name} has a description`);
      }
      const byName = new Map(tools.map((t) => [t.name, t]));
      const input = (name: string) => byName.get(name)?.inputSchema as JsonSchema;
      const output = (name: string) => byName.get(name)?.outputSchema as JsonSchema;
      assert.deepEqual(Object.keys(input('create-todo').properties ?? {}), ['content', 'idempotencyKey']);
      assert.deepEqual(input('create-todo').required, ['content']);
      assert.deepEqual(Object.keys(input('get-todos').properties ?? {}).sort(), [
        'cursor',
        'done',
        'limit',
        'ownerId',
        'query',
      ]);
      assert.deepEqual(input('get-todos').required ?? [], []);
      assert.deepEqual(Object.keys(input('update-todo').properties ?? {}).sort(), ['content', 'done', 'id']);
      assert.deepEqual(input('update-todo').required, ['id']);
      assert.deepEqual(Object.keys(input('delete-todo').properties ?? {}), ['id']);
      assert.deepEqual(input('delete-todo').required, ['id']);
      assert.deepEqual(Object.keys(input('whoami').properties ?? {}), []);

      const todoFields = ['content', 'createdAt', 'done', 'id', 'ownerId', 'updatedAt'];
      for (const name of ['create-todo', 'update-todo', 'delete-todo']) {
        assert.deepEqual(Object.keys(output(name).properties ?? {}).sort(), todoFields, name);
        assert.deepEqual([...(output(name).required ?? [])].sort(), todoFields, name);
      }
      assert.deepEqual(Object.keys(output('get-todos').properties ?? {}).sort(), ['nextCursor', 'todos']);
      assert.deepEqual(output('get-todos').required, ['todos']);
      assert.deepEqual(Object.keys(output('whoami').properties ?? {}).sort(), [
        'clientId',
        'expiresAt',
        'issuer',
        'scopes',
        'subject',
      ]);
    });

    test('descriptions name the scopes that govern each tool', async () => {
      const { tools } = await client.listTools();
      const description = (name: string) => tools.find((t) => t.name === name)?.description ?? '';
      assert.match(description('create-todo'), /create:todos/);
      assert.match(description('get-todos'), /read:todos/);
      assert.match(description('delete-todo'), /delete:todos/);
    });

    test('annotations: reads are read-only, delete is destructive, create is not read-only', async () => {
      const { tools } = await client.listTools();
      const annotations = (name: string) => tools.find((t) => t.name === name)?.annotations ?? {};
      assert.equal(annotations('get-todos').readOnlyHint, true);
      assert.equal(annotations('whoami').readOnlyHint, true);
      assert.equal(annotations('delete-todo').destructiveHint, true);
      assert.equal(annotations('create-todo').readOnlyHint, false);
      assert.equal(annotations('update-todo').readOnlyHint, false);
      for (const tool of tools) assert.equal(tool.annotations?.openWorldHint, false, tool.name);
    });

    test('every successful result carries structuredContent and the same JSON as text', async () => {
      const created = expectSuccess(await callRaw(client, 'create-todo', { content: '  mirrored  ' }));
      assert.equal(created.content, 'mirrored');
      assert.equal(created.ownerId, subject);
      assert.equal(created.done, false);
      assert.match(String(created.id), /^[A-Za-z0-9_-]{22}$/);
      assert.ok(!Number.isNaN(Date.parse(String(created.createdAt))));
      const id = String(created.id);

      const listed = expectSuccess(await callRaw(client, 'get-todos', { ownerId: subject }));
      assert.ok((listed.todos as { id: string }[]).some((t) => t.id === id));

      const updated = expectSuccess(await callRaw(client, 'update-todo', { id, done: true }));
      assert.deepEqual({ ...updated, updatedAt: created.updatedAt }, { ...created, done: true });

      const whoami = expectSuccess(await callRaw(client, 'whoami'));
      assert.equal(whoami.subject, subject);

      const deleted = expectSuccess(await callRaw(client, 'delete-todo', { id }));
      assert.deepEqual(deleted, updated);
    });

    test('a page with more to come carries nextCursor in both forms', async () => {
      for (let i = 0; i < 3; i++)
        expectSuccess(await callRaw(client, 'create-todo', { content: `page ${i}` }));
      const first = expectSuccess(await callRaw(client, 'get-todos', { ownerId: subject, limit: 2 }));
      assert.equal((first.todos as unknown[]).length, 2);
      assert.equal(typeof first.nextCursor, 'string');
      const rest = expectSuccess(
        await callRaw(client, 'get-todos', { ownerId: subject, limit: 200, cursor: first.nextCursor }),
      );
      assert.equal('nextCursor' in rest, false);
    });

    test('mcp:tool-error-readable tool errors are isError with { error: { code } } as their one text, no structuredContent', async () => {
      expectToolError(await callRaw(client, 'update-todo', { id: 'A'.repeat(22), done: true }), 'not_found');
      expectToolError(await callRaw(client, 'delete-todo', { id: 'A'.repeat(22) }), 'not_found');
      expectToolError(await callRaw(client, 'delete-todo', { id: 'not-an-id' }), 'not_found');
      expectToolError(await callRaw(client, 'create-todo', { content: ' \n ' }), 'invalid_params');
      expectToolError(
        await callRaw(client, 'create-todo', { content: 'x'.repeat(10_001) }),
        'invalid_params',
      );
      expectToolError(await callRaw(client, 'get-todos', { cursor: 'garbage' }), 'invalid_params');
      const created = expectSuccess(await callRaw(client, 'create-todo', { content: 'needs a change' }));
      expectToolError(await callRaw(client, 'update-todo', { id: created.id }), 'invalid_params');
    });

    test('arguments the input schema rejects are a tool error with code invalid_params too', async () => {
      expectToolError(await callRaw(client, 'get-todos', { limit: 0 }), 'invalid_params');
      expectToolError(await callRaw(client, 'get-todos', { limit: 201 }), 'invalid_params');
      expectToolError(await callRaw(client, 'create-todo', {}), 'invalid_params');
    });

    test('content has one limit: advertised as maxLength 10000 and refused past it with one message', async () => {
      const { tools } = await client.listTools();
      for (const name of ['create-todo', 'update-todo']) {
        const schema = tools.find((t) => t.name === name)?.inputSchema as JsonSchema;
        assert.equal(
          (schema.properties?.content as { maxLength?: unknown } | undefined)?.maxLength,
          10_000,
          name,
        );
      }
      for (const length of [10_001, 40_001]) {
        const refused = expectToolError(
          await callRaw(client, 'create-todo', { content: 'x'.repeat(length) }),
          'invalid_params',
        );
        assert.equal(
          (refused.error as { message: string }).message,
          'invalid arguments: content must be at most 10,000 characters',
          `${length} characters`,
        );
      }
    });

    test('exactly 10,000 characters of content are accepted over the wire', async () => {
      const created = expectSuccess(await callRaw(client, 'create-todo', { content: '🍎'.repeat(10_000) }));
      assert.equal(created.content, '🍎'.repeat(10_000));
    });

    test('whoami returns subject, clientId, scopes, issuer and expiresAt of the token', async () => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      const token = await ctx.issuer.sign({
        claims: { sub: `who-${era}`, client_id: 'whoami-client', scope: 'read:todos create:todos', exp },
      });
      const who = await connectClient(ctx.server.mcpUrl, token, era);
      try {
        const value = expectSuccess(await callRaw(who, 'whoami'));
        assert.deepEqual(value, {
          subject: `who-${era}`,
          clientId: 'whoami-client',
          scopes: ['read:todos', 'create:todos'],
          issuer: ctx.issuer.issuer,
          expiresAt: new Date(exp * 1000).toISOString(),
        });
      } finally {
        await who.close();
      }
    });

    test('whoami answers a token with no scopes [rbac:whoami-any-token]', async () => {
      const token = await ctx.issuer.sign({ claims: { sub: `bare-${era}`, scope: undefined } });
      const bare = await connectClient(ctx.server.mcpUrl, token, era);
      try {
        const value = expectSuccess(await callRaw(bare, 'whoami'));
        assert.equal(value.subject, `bare-${era}`);
        assert.deepEqual(value.scopes, []);
      } finally {
        await bare.close();
      }
    });
  });
}
