import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { ClientCredentialsProvider, PrivateKeyJwtProvider } from '@modelcontextprotocol/client';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { cli } from '../support/cli-io.js';
import { addClient, connectWith, tokenRequest } from '../support/machine-clients.js';
import { call } from '../support/mcp-client.js';
import { untilRefused } from '../support/revocation-probe.js';
import { useTempDir } from '../support/temp-dir.js';
import { useServer } from '../support/use-server.js';

/**
 * Service clients (issue 17): an admin creates them with the CLI, the SDK's own providers get
 * tokens with the client_credentials grant (SEP-1046), and the access policy treats the service
 * as the owner of what it creates.
 */
const ctx = useServer();
const tempFile = useTempDir('todo-manager-clients-');

const connectService = async (id: string, secret: string | undefined) =>
  connectWith(
    ctx.server.mcpUrl,
    new ClientCredentialsProvider({
      clientId: id,
      clientSecret: secret ?? '',
      expectedIssuer: ctx.server.origin,
    }),
  );

describe('service clients', () => {
  test('machine:client-credentials machine:service-role a user service gets a token of its own and owns its todos', async () => {
    const service = await addClient(ctx.server.databaseUrl, ['ci-bot', '--service', '--role', 'user']);
    const client = await connectService(service.clientId, service.secret);
    const whoami = await call(client, 'whoami');
    assert.equal(whoami.value.subject, service.clientId);
    assert.equal(whoami.value.clientId, service.clientId);
    assert.deepEqual(whoami.value.scopes, ['create:todos']);
    const created = await call(client, 'create-todo', { content: 'nightly build' });
    assert.equal(created.value.ownerId, service.clientId);
    const listed = await call(client, 'get-todos');
    assert.deepEqual(
      (listed.value.todos as { ownerId: string }[]).map((t) => t.ownerId),
      [service.clientId],
    );
    await client.close();
  });

  test("machine:service-role an admin service sees everyone's todos and the audit trail names services", async () => {
    const writer = await addClient(ctx.server.databaseUrl, ['writer', '--service', '--role', 'user']);
    const writerClient = await connectService(writer.clientId, writer.secret);
    await call(writerClient, 'create-todo', { content: 'written by another service' });
    await writerClient.close();
    const admin = await addClient(ctx.server.databaseUrl, ['auditor', '--service', '--role', 'admin']);
    const client = await connectService(admin.clientId, admin.secret);
    const whoami = await call(client, 'whoami');
    assert.deepEqual([...(whoami.value.scopes as string[])].sort(), [
      'create:todos',
      'delete:todos',
      'read:todos',
    ]);
    const listed = await call(client, 'get-todos', { ownerId: writer.clientId });
    assert.equal((listed.value.todos as unknown[]).length, 1);
    const audit = await call(client, 'get-audit-events', { actor: writer.clientId });
    const [event] = audit.value.events as { actor: string; clientId: string; action: string }[];
    assert.deepEqual(
      { actor: event?.actor, clientId: event?.clientId, action: event?.action },
      { actor: writer.clientId, clientId: writer.clientId, action: 'create' },
      'the audit trail names the service',
    );
    await client.close();
  });

  test('machine:private-key-jwt a service with a JWKS file authenticates with a signed assertion', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'svc-1', alg: 'ES256', use: 'sig' };
    const file = tempFile('jwks.json');
    await writeFile(file, JSON.stringify({ keys: [jwk] }));
    const service = await addClient(ctx.server.databaseUrl, [
      'signer',
      '--service',
      '--role',
      'user',
      '--jwks-file',
      file,
    ]);
    assert.equal(service.secret, undefined, 'no secret is made for a private_key_jwt client');
    const provider = new PrivateKeyJwtProvider({
      clientId: service.clientId,
      privateKey: await exportPKCS8(privateKey),
      algorithm: 'ES256',
      expectedIssuer: ctx.server.origin,
    });
    const client = await connectWith(ctx.server.mcpUrl, provider);
    assert.equal((await call(client, 'whoami')).value.subject, service.clientId);
    await client.close();
  });

  test('machine:clients-cli rotate-secret and remove take effect at once; removal refuses live tokens', async () => {
    const service = await addClient(ctx.server.databaseUrl, ['rotating', '--service', '--role', 'user']);
    const basic = (secret: string | undefined) => ({ id: service.clientId, secret: secret ?? '' });
    const grant = { grant_type: 'client_credentials' };
    assert.equal((await tokenRequest(ctx.server.origin, grant, basic(service.secret))).status, 200);
    const rotated = await cli([
      'clients',
      'rotate-secret',
      service.clientId,
      '--database-url',
      ctx.server.databaseUrl,
    ]);
    assert.equal(rotated.code, 0, rotated.stderr);
    const fresh = /Client secret \(shown once\): (\S+)/.exec(rotated.stdout)?.[1];
    assert.equal((await tokenRequest(ctx.server.origin, grant, basic(service.secret))).status, 401);
    const issued = await tokenRequest(ctx.server.origin, grant, basic(fresh));
    assert.equal(issued.status, 200);
    const listed = await cli(['clients', 'list', '--database-url', ctx.server.databaseUrl]);
    assert.match(listed.stdout, new RegExp(`${service.clientId}\\s+rotating\\s+service\\s+user`));
    const removed = await cli([
      'clients',
      'remove',
      service.clientId,
      '--database-url',
      ctx.server.databaseUrl,
    ]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await tokenRequest(ctx.server.origin, grant, basic(fresh))).status, 401);
    // The token issued before the removal stops at /mcp too (the shared revocation list).
    const refused = await untilRefused(ctx.server.mcpUrl, String(issued.body.access_token));
    assert.deepEqual([refused.status, refused.error], [401, 'invalid_token']);
  });

  test('machine:clients-cli bad command lines are refused before anything is created', async () => {
    const db = ['--database-url', ctx.server.databaseUrl];
    for (const args of [
      ['clients', 'add', 'x'],
      ['clients', 'add', 'x', '--service'],
      ['clients', 'add', 'x', '--service', '--role', 'root'],
      ['clients', 'add', 'x', '--service', '--enterprise', '--role', 'user'],
      ['clients', 'remove'],
      ['clients', 'frobnicate', 'x'],
    ]) {
      const run = await cli([...args, ...db]);
      assert.equal(run.code, 1, args.join(' '));
    }
    const help = await cli(['clients', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /clients add <name> --service --role <user\|admin>/);
  });
});
