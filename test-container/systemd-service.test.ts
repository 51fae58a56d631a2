import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectWithOAuth } from '../test/support/oauth-client.js';
import { callRaw, expectSuccess } from '../test/support/tool-result.js';
import {
  buildBaseImage,
  buildImage,
  createPodman,
  ensurePodman,
  type Podman,
  REPO_ROOT,
} from './support/podman.js';
import { freePort, healthStatus, seconds, waitFor } from './support/process.js';

// deploy/todo-manager.service and deploy/todo-manager-cli under a real systemd: booted as the init
// of a container, with the install from the image (/app → /opt/todo-manager). Checks that the
// hardening is in force on the running process, that the CLI wrapper writes to the same database
// as the service, and how the service stops and fails.

const APP_TAG = 'localhost/todo-manager:test';
const TAG = 'localhost/todo-manager-systemd:test';
const run = randomBytes(4).toString('hex');
const name = `todo-manager-systemd-test-${run}`;

let podman: Podman;
let dir: string;

before(async () => {
  await ensurePodman();
  podman = await createPodman();
  dir = await mkdtemp(join(tmpdir(), 'todo-manager-systemd-'));
});

after(async () => {
  if (podman !== undefined) {
    await podman.run(['rm', '--force', '--time', '0', name]);
    await podman.dispose();
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Runs a command inside the booted container. */
const exec = (args: string[], input?: string) =>
  podman.run(
    ['exec', ...(input === undefined ? [] : ['-i']), name, ...args],
    input === undefined ? {} : { input },
  );

/** `systemctl show` properties of the service. */
async function show(...properties: string[]): Promise<Record<string, string>> {
  const result = await exec([
    'systemctl',
    'show',
    'todo-manager',
    ...properties.map((p) => `--property=${p}`),
  ]);
  return Object.fromEntries(
    result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2)),
  );
}

/** The service's journal, messages only. */
async function journal(): Promise<string> {
  return (await exec(['journalctl', '--unit=todo-manager', '--output=cat', '--no-pager'])).stdout;
}

describe('the systemd unit under systemd', { timeout: 30 * 60_000 }, () => {
  let origin: string;
  let password: string;

  test('the image with systemd builds', async (t) => {
    const systemdBase = await buildBaseImage({ withSystemd: true });
    t.diagnostic(`systemd base ${systemdBase.image}: ${seconds(systemdBase.ms)} (reused when it exists)`);
    await buildImage(podman, (await buildBaseImage()).image, APP_TAG);
    const context = join(dir, 'context');
    await mkdir(context);
    await copyFile(join(REPO_ROOT, 'deploy/todo-manager.service'), join(context, 'todo-manager.service'));
    await copyFile(join(REPO_ROOT, 'deploy/todo-manager-cli'), join(context, 'todo-manager-cli'));
    await writeFile(
      join(context, 'Containerfile'),
      [
        `FROM ${systemdBase.image}`,
        `COPY --from=${APP_TAG} /app /opt/todo-manager`,
        'COPY todo-manager.service /etc/systemd/system/todo-manager.service',
        'COPY todo-manager-cli /usr/local/bin/todo-manager',
        // The unit names /usr/bin/node, where Debian's package puts it.
        'RUN ln -s /usr/local/bin/node /usr/bin/node && systemctl enable todo-manager',
        '',
      ].join('\n'),
    );
    const build = await podman.ok(['build', '--format', 'docker', '--tag', TAG, context], {
      timeoutMs: 10 * 60_000,
    });
    t.diagnostic(`image with systemd: ${seconds(build.ms)}`);
  });

  test('boots, starts the service hardened, and signs in', async (t) => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const etc = join(dir, 'etc');
    await mkdir(etc);
    await writeFile(join(etc, 'env'), `PUBLIC_URL=${origin}\nPORT=${port}\n`, { mode: 0o600 });
    const started = performance.now();
    await podman.ok([
      'run',
      '--detach',
      '--name',
      name,
      '--network=host',
      '--systemd=always',
      '--volume',
      `${etc}:/etc/todo-manager`,
      TAG,
    ]);
    await waitFor('the service to serve', 60_000, async () => {
      const { ActiveState } = await show('ActiveState');
      if (ActiveState === 'failed') throw new Error(`the service failed:\n${await journal()}`);
      if ((await healthStatus(origin)) !== 200) return undefined;
      return (await journal()).includes('"msg":"listening"') ? true : undefined;
    });
    t.diagnostic(`boot to healthy: ${seconds(performance.now() - started)}`);

    const { MainPID } = await show('MainPID');
    const status = (await exec(['cat', `/proc/${MainPID}/status`])).stdout;
    const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim();
    assert.notEqual(field('Uid')?.split(/\s+/)[0], '0', 'not root: a dynamic user');
    assert.equal(field('NoNewPrivs'), '1');
    assert.equal(field('CapBnd'), '0000000000000000');
    assert.equal(field('CapEff'), '0000000000000000');
    assert.equal(field('Seccomp'), '2', 'a system call filter is in force');
    const files = await exec(['stat', '--format=%a %U', '/var/lib/private/todo-manager/todo-manager.db']);
    assert.match(files.stdout, /^600 /, 'the database is readable by the service only');

    const passwordLine = /^\s+admin\s+role admin\s+password (\S+)$/m.exec(await journal());
    assert.ok(passwordLine?.[1], 'the first start wrote the passwords to the journal');
    password = passwordLine[1];
    const { client } = await connectWithOAuth(`${origin}/mcp`, 'admin', password);
    try {
      expectSuccess(await callRaw(client, 'create-todo', { content: 'under systemd' }));
    } finally {
      await client.close();
    }
  });

  test('the CLI wrapper adds a user to the running service’s database', async () => {
    const added = await exec(
      ['todo-manager', 'users', 'add', 'carol', '--role', 'user', '--password-stdin'],
      'carol-pw-1234\n',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Added carol (user).\n');
    const { client } = await connectWithOAuth(`${origin}/mcp`, 'carol', 'carol-pw-1234');
    try {
      expectSuccess(
        await callRaw(client, 'create-todo', { content: 'written by the service after the CLI' }),
      );
    } finally {
      await client.close();
    }
  });

  test('systemctl stop: SIGTERM, "shutting down", exit status 0', async () => {
    const stop = await exec(['systemctl', 'stop', 'todo-manager']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(await show('Result', 'ExecMainStatus'), { Result: 'success', ExecMainStatus: '0' });
    assert.match(await journal(), /"msg":"shutting down","signal":"SIGTERM"/);
  });

  test('bad configuration fails once, with its message, and is not restarted', async () => {
    await writeFile(join(dir, 'etc', 'env'), 'HOST=0.0.0.0\n');
    await exec(['systemctl', 'start', 'todo-manager']);
    const state = await waitFor('the service to fail', 30_000, async () => {
      const properties = await show('ActiveState', 'ExecMainStatus', 'NRestarts');
      return properties.ActiveState === 'failed' ? properties : undefined;
    });
    assert.deepEqual(state, { ActiveState: 'failed', ExecMainStatus: '2', NRestarts: '0' });
    assert.match(
      await journal(),
      /PUBLIC_URL is required when HOST \(0\.0\.0\.0\) is not a loopback address/,
    );
  });
});
