import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { connectWithOAuth } from '../test/support/oauth-client.js';
import { callRaw, expectSuccess } from '../test/support/tool-result.js';
import { buildBaseImage, buildImage, createPodman, ensurePodman, type Podman } from './support/podman.js';
import { freePort, healthStatus, isListening, seconds, waitFor } from './support/process.js';

// The image as users run it: built from the Dockerfile (on a local stand-in for the official Node
// images), started on a volume with PUBLIC_URL, signed into through the real OAuth flow, stopped
// with SIGTERM, and started again on the same volume.

const TAG = 'localhost/todo-manager:test';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_S = 30;
const run = randomBytes(4).toString('hex');
const volume = `todo-manager-test-${run}`;

let podman: Podman;
const containers: string[] = [];

before(async () => {
  await ensurePodman();
  podman = await createPodman();
});

after(async () => {
  if (podman === undefined) return;
  for (const name of containers) await podman.run(['rm', '--force', '--time', '0', name]);
  await podman.run(['volume', 'rm', '--force', volume]);
  await podman.dispose();
});

interface Started {
  readonly name: string;
  readonly origin: string;
  /** From `podman run` to both a 200 from /healthz and the "listening" log line. */
  readonly ms: number;
}

/** Starts the image on the test volume, waits until it is healthy and has logged "listening". */
async function startContainer(port: number, label: string): Promise<Started> {
  const name = `todo-manager-test-${run}-${label}`;
  const origin = `http://localhost:${port}`;
  const started = performance.now();
  containers.push(name);
  await podman.ok([
    'run',
    '--detach',
    '--name',
    name,
    '--network=host',
    // The test runs the image's HEALTHCHECK itself; podman's timer for it needs systemd.
    '--health-interval=disable',
    '--volume',
    `${volume}:/data`,
    '--env',
    `PORT=${port}`,
    '--env',
    `PUBLIC_URL=${origin}`,
    TAG,
  ]);
  await waitFor(`${name} to serve`, START_TIMEOUT_MS, async () => {
    const state = await podman.ok(['inspect', '--format', '{{.State.Running}}', name]);
    if (state.stdout.trim() !== 'true') throw new Error(`${name} stopped:\n${(await logs(name)).stderr}`);
    if ((await healthStatus(origin)) !== 200) return undefined;
    return (await logs(name)).stdout.includes('"msg":"listening"') ? true : undefined;
  });
  return { name, origin, ms: performance.now() - started };
}

/** The container's stdout (JSON log lines) and stderr, kept apart as it wrote them. */
async function logs(name: string) {
  return podman.ok(['logs', name]);
}

/** Stops with `podman stop` (the image's STOPSIGNAL, SIGTERM); returns the exit code and the time it took. */
async function stopContainer(name: string): Promise<{ exitCode: number; ms: number }> {
  const stop = await podman.ok(['stop', '--time', String(STOP_TIMEOUT_S), name], {
    timeoutMs: (STOP_TIMEOUT_S + 30) * 1000,
  });
  const state = await podman.ok(['inspect', '--format', '{{.State.ExitCode}} {{.State.Running}}', name]);
  const [exitCode, running] = state.stdout.trim().split(' ');
  assert.equal(running, 'false');
  return { exitCode: Number(exitCode), ms: stop.ms };
}

describe('container image', { timeout: 40 * 60_000 }, () => {
  let port: number;
  /** The admin password the first start printed; the second start must accept it too. */
  let adminPassword: string | undefined;

  test('the image builds from the Dockerfile on the local base', async (t) => {
    const base = await buildBaseImage();
    t.diagnostic(`base image ${base.image}: ${seconds(base.ms)} (build-base.sh, reused when it exists)`);
    const image = await buildImage(podman, base.image, TAG);
    t.diagnostic(`image build: ${seconds(image.ms)}`);
    const inspect = await podman.ok(['image', 'inspect', TAG]);
    const [info] = JSON.parse(inspect.stdout) as {
      Config: { User?: string; Env?: string[]; Volumes?: Record<string, unknown>; StopSignal?: string };
      Healthcheck?: { Test?: string[] };
    }[];
    assert.ok(info);
    assert.equal(info.Config.User, 'node');
    assert.ok(info.Config.Volumes && '/data' in info.Config.Volumes);
    assert.equal(info.Config.StopSignal, 'SIGTERM');
    for (const setting of [
      'HOST=0.0.0.0',
      'PORT=3001',
      'DATABASE_URL=/data/todo-manager.db',
      'NODE_ENV=production',
    ])
      assert.ok(info.Config.Env?.includes(setting), setting);
    assert.match(info.Healthcheck?.Test?.join(' ') ?? '', /\/healthz/);
  });

  test('without PUBLIC_URL the container refuses to start and says why', async () => {
    const refused = await podman.run(['run', '--rm', '--network=host', TAG]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /PUBLIC_URL is required when HOST \(0\.0\.0\.0\) is not a loopback address/);
  });

  test('first start: healthy, passwords on stderr, sign-in and a tool call; SIGTERM exits 0', async (t) => {
    await podman.ok(['volume', 'create', volume]);
    port = await freePort();
    const first = await startContainer(port, 'first');
    t.diagnostic(`first start to healthy: ${seconds(first.ms)}`);

    const health = await podman.run(['healthcheck', 'run', first.name]);
    assert.equal(health.code, 0, `the image's HEALTHCHECK passes: ${health.stdout}${health.stderr}`);

    const output = await logs(first.name);
    const password = /^\s+admin\s+role admin\s+password (\S+)$/m.exec(output.stderr)?.[1];
    assert.ok(password, `the first start prints the admin password on stderr:\n${output.stderr}`);
    assert.doesNotMatch(output.stdout, /password/i, 'stdout carries log lines only');

    const { client } = await connectWithOAuth(`${first.origin}/mcp`, 'admin', password);
    try {
      const todo = expectSuccess(
        await callRaw(client, 'create-todo', { content: `kept on the volume ${run}` }),
      );
      assert.equal(todo.content, `kept on the volume ${run}`);
    } finally {
      await client.close();
    }

    const stop = await stopContainer(first.name);
    t.diagnostic(`podman stop: ${seconds(stop.ms)}`);
    assert.equal(stop.exitCode, 0);
    assert.match((await logs(first.name)).stdout, /"msg":"shutting down","signal":"SIGTERM"/);
    assert.equal(await isListening(port), false);
    adminPassword = password;
  });

  test('a new container on the same volume keeps the accounts and the todo', async (t) => {
    const password = adminPassword;
    assert.ok(password, 'the first start ran');
    const second = await startContainer(port, 'second');
    t.diagnostic(`second start to healthy: ${seconds(second.ms)}`);
    assert.doesNotMatch((await logs(second.name)).stderr, /First start|password/);

    const { client } = await connectWithOAuth(`${second.origin}/mcp`, 'admin', password);
    try {
      const listed = expectSuccess(await callRaw(client, 'get-todos', { query: run }));
      const contents = (listed.todos as { content: string }[]).map((todo) => todo.content);
      assert.deepEqual(contents, [`kept on the volume ${run}`]);
    } finally {
      await client.close();
    }

    const stop = await stopContainer(second.name);
    assert.equal(stop.exitCode, 0);
    assert.match((await logs(second.name)).stdout, /"msg":"shutting down","signal":"SIGTERM"/);
  });
});
