import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunOptions, type RunResult, run, runOk } from './process.js';

/** The repository the image is built from. */
export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/**
 * The settings podman needs on these machines (see CONTAINERS.md in the shared notes): runc,
 * because crun cannot set up containers here, and no default ulimits, which runc may not raise.
 */
const CONTAINERS_CONF = '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n';

/** The host's CA bundle: mounted into the build's RUN steps so npm trusts what the host trusts. */
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

export interface Podman {
  /** Runs `podman ARGS` and resolves with the result, whatever the exit status. */
  run(args: readonly string[], options?: Partial<RunOptions>): Promise<RunResult>;
  /** Runs `podman ARGS`; a non-zero exit rejects. */
  ok(args: readonly string[], options?: Partial<RunOptions>): Promise<RunResult>;
  /** Removes the temporary configuration. */
  dispose(): Promise<void>;
}

/** Installs podman and runc with apt-get when either is missing (as CI does, as root). */
export async function ensurePodman(): Promise<void> {
  const missing = [];
  for (const command of ['podman', 'runc']) {
    const found = await run('sh', ['-c', `command -v ${command}`], { timeoutMs: 5_000 });
    if (found.code !== 0) missing.push(command);
  }
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runOk('apt-get', ['update', '-qq'], { env, timeoutMs: 120_000 });
  await runOk('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env,
    timeoutMs: 300_000,
  });
}

/** A podman with this machine's settings, in a temporary containers.conf. */
export async function createPodman(): Promise<Podman> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-manager-podman-'));
  const conf = join(dir, 'containers.conf');
  await writeFile(conf, CONTAINERS_CONF);
  const env = { ...process.env, CONTAINERS_CONF: conf };
  const options = (extra: Partial<RunOptions> = {}): RunOptions => ({ env, timeoutMs: 60_000, ...extra });
  return {
    run: (args, extra) => run('podman', args, options(extra)),
    ok: (args, extra) => runOk('podman', args, options(extra)),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Builds (or reuses) the local base image with scripts/container/build-base.sh, with systemd as
 * its init if asked; returns its name.
 */
export async function buildBaseImage({ withSystemd = false } = {}): Promise<{ image: string; ms: number }> {
  const script = join(REPO_ROOT, 'scripts/container/build-base.sh');
  const args = withSystemd ? [script, '--systemd'] : [script];
  const result = await runOk('bash', args, { cwd: REPO_ROOT, timeoutMs: 15 * 60_000 });
  const image = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!image.startsWith('localhost/'))
    throw new Error(`build-base.sh printed no image name:\n${result.stdout}`);
  return { image, ms: result.ms };
}

/**
 * Builds the Dockerfile with `base` as both BUILD_BASE and BASE. `--format docker` keeps the
 * HEALTHCHECK (the OCI format has no field for it); `--network=host` lets `npm ci` reach the
 * registry.
 */
export async function buildImage(podman: Podman, base: string, tag: string): Promise<{ ms: number }> {
  const imageId = async () =>
    (await podman.run(['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
  const previous = await imageId();
  const trust = existsSync(HOST_CA_BUNDLE) ? ['--volume', `${HOST_CA_BUNDLE}:${HOST_CA_BUNDLE}:ro`] : [];
  const result = await podman.ok(
    [
      'build',
      '--format',
      'docker',
      '--network=host',
      '--build-arg',
      `BUILD_BASE=${base}`,
      '--build-arg',
      `BASE=${base}`,
      ...trust,
      '--tag',
      tag,
      REPO_ROOT,
    ],
    { timeoutMs: 15 * 60_000 },
  );
  // The image this build replaced would stay behind untagged; its build-stage layers are kept as
  // the cache for the next build.
  if (previous !== '' && previous !== (await imageId())) await podman.run(['rmi', previous]);
  return { ms: result.ms };
}
