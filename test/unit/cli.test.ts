import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createUserDirectory } from '../../src/authorization-server/users.js';
import type { CliIo, ShutdownSignal } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';
import { configSchema } from '../../src/config/load-config.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface FakeIoOptions {
  /** The whole environment: nothing of the test process's own reaches the command. */
  readonly env?: Record<string, string>;
  readonly stdin?: string;
  /** By default a server that starts is stopped at once: no test hangs on a server it did not expect. */
  readonly onShutdownSignal?: CliIo['onShutdownSignal'];
}

function fakeIo(options: FakeIoOptions = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    env: options.env ?? {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    readStdin: async () => options.stdin ?? '',
    onShutdownSignal: options.onShutdownSignal ?? ((handler) => handler('SIGTERM')),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the CLI in this process, as `todo-manager <argv>` would in its own. */
async function cli(argv: readonly string[], options: FakeIoOptions = {}): Promise<CliRun> {
  const fake = fakeIo(options);
  const code = await runCli(argv, fake.io);
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}

/** Starts `serve` in this process; `stop` plays the part of SIGTERM or SIGINT. */
function serve(env: Record<string, string>) {
  const handlers: ((signal: ShutdownSignal) => void)[] = [];
  let markListening = () => {};
  const listening = new Promise<void>((resolve) => {
    markListening = resolve;
  });
  const fake = fakeIo({
    env,
    onShutdownSignal: (handler) => {
      handlers.push(handler);
      markListening();
    },
  });
  const exited = runCli(['serve'], fake.io);
  const early = exited.then((code) => {
    throw new Error(`serve exited early with ${code}:\n${fake.stdout()}\n${fake.stderr()}`);
  });
  return {
    listening: Promise.race([listening, early]),
    exited,
    stop: (signal: ShutdownSignal) => {
      for (const handler of handlers) handler(signal);
    },
    stdout: fake.stdout,
    stderr: fake.stderr,
    /** The port the server bound, from its "listening" line. */
    port: () => Number(/"msg":"listening".*"address":"[^"]*:(\d+)"/.exec(fake.stdout())?.[1]),
  };
}

function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at /m, `a clear message, not a stack trace:\n${run.stderr}`);
}

const flagOf = (key: string) => `--${key.toLowerCase().replaceAll('_', '-')}`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'todo-manager-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cli usage', () => {
  test('without a command it shows the usage and exits 1; help, -h and --help exit 0', async () => {
    const bare = await cli([]);
    assert.equal(bare.code, 1);
    assert.match(bare.stdout, /^Usage: todo-manager <command>/);
    for (const help of ['help', '-h', '--help']) {
      const run = await cli([help]);
      assert.equal(run.code, 0, help);
      assert.equal(run.stdout, bare.stdout, help);
    }
  });

  test('users, keys and audit without an action show their usage and exit 1; with --help, 0', async () => {
    for (const command of ['users', 'keys', 'audit']) {
      const bare = await cli([command]);
      assert.equal(bare.code, 1, command);
      assert.match(bare.stdout, new RegExp(`^Usage:\\n  todo-manager ${command} `), command);
      const help = await cli([command, '--help']);
      assert.equal(help.code, 0, command);
      assert.equal(help.stdout, bare.stdout, command);
    }
  });

  test('serve --help lists a flag for every configuration variable and exits 0', async () => {
    const run = await cli(['serve', '--help']);
    assert.equal(run.code, 0, run.stderr);
    const keys = Object.keys(configSchema.shape);
    assert.ok(keys.length > 0);
    for (const key of keys) {
      assert.match(
        run.stdout,
        new RegExp(`${flagOf(key)}\\b.*\\[${key}\\]`),
        `serve --help lists ${flagOf(key)}`,
      );
    }
    assert.match(run.stdout, /--help/);
  });

  test('migrate --help lists --database-url and exits 0', async () => {
    const run = await cli(['migrate', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--database-url/);
    assert.match(run.stdout, /--help/);
  });

  test('the README shows each --help output exactly as the CLI prints it', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = [...readme.matchAll(/^\$ npm run cli -- (.*--help)\n\n> .*\n> .*\n\n([^`]*)^```$/gm)];
    assert.ok(shown.length >= 5, 'the README shows the help of the CLI and its commands');
    for (const [, command = '', output] of shown) {
      assert.equal((await cli(command.split(' '))).stdout, output, `npm run cli -- ${command}`);
    }
  });
});

describe('cli errors', () => {
  test('an unknown command exits 1 and shows the usage', async () => {
    const run = await cli(['frobnicate']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /frobnicate/);
    assert.match(run.stderr, /serve/);
    assertNoStackTrace(run);
  });

  test('an unknown flag exits 2 with a message naming it', async () => {
    const run = await cli(['serve', '--no-such-flag', 'x']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--no-such-flag/);
    assertNoStackTrace(run);
  });

  test('serve lists every configuration problem at once and exits 2; a flag overrides its variable', async () => {
    const run = await cli(
      [
        'serve',
        '--port',
        '0',
        '--public-url',
        'http://todos.example.com',
        '--database-url',
        join(dir, 'x.db'),
      ],
      { env: { PORT: 'not-a-port', LOG_LEVEL: 'loud' } },
    );
    assert.equal(run.code, 2);
    for (const variable of ['PUBLIC_URL', 'LOG_LEVEL']) {
      assert.match(run.stderr, new RegExp(variable), `the message names ${variable}`);
    }
    assert.doesNotMatch(run.stderr, /PORT must/, '--port 0 wins over PORT=not-a-port');
    assertNoStackTrace(run);
  });

  test('a refused request exits 1 with "Error: " and its message', async () => {
    for (const argv of [
      ['audit', 'tail', '--limit', '0'],
      ['audit', 'frobnicate'],
      ['keys', 'frobnicate'],
    ]) {
      const run = await cli([...argv, '--database-url', join(dir, 'refused.db')]);
      assert.equal(run.code, 1, argv.join(' '));
      assert.match(run.stderr, /^Error: \S/, argv.join(' '));
      assertNoStackTrace(run);
    }
  });

  test('a SQLite database that cannot be opened is named in a clear message, exit 1', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    const run = await cli(['migrate', '--database-url', folder]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `Error: The SQLite database ${folder} cannot be opened: unable to open database file\n`,
    );
  });

  test('an unexpected failure exits 1 with one JSON log line on stderr', async () => {
    const fake = fakeIo({ env: { LOG_LEVEL: 'error' } });
    const broken = new Error('the terminal went away');
    const io: CliIo = {
      ...fake.io,
      stdout: {
        write: () => {
          throw broken;
        },
      },
    };
    assert.equal(await runCli(['--help'], io), 1);
    const entry = JSON.parse(fake.stderr()) as { level: string; msg: string; err: { message: string } };
    assert.deepEqual([entry.level, entry.msg, entry.err.message], ['error', 'fatal', broken.message]);
  });
});

describe('cli commands', () => {
  test('migrate applies every migration, then reports the database up to date', async () => {
    const databaseUrl = join(dir, 'migrate', 'todos.db');
    const first = await cli(['migrate', '--database-url', databaseUrl]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `Applied migrations: ${MIGRATIONS.map((m) => m.version).join(', ')}\n`);
    assert.ok(existsSync(databaseUrl), 'the database file was created');
    const second = await cli(['migrate'], { env: { DATABASE_URL: databaseUrl } });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'The database is up to date.\n');
  });

  test('a password read from stdin loses its final line break, and is not printed', async () => {
    const databaseUrl = join(dir, 'users.db');
    const db = ['--database-url', databaseUrl];
    assert.equal((await cli(['migrate', ...db])).code, 0);
    const added = await cli(['users', 'add', 'Carol', '--role', 'user', '--password-stdin', ...db], {
      stdin: 'carol-password-1\n',
    });
    assert.deepEqual(added, { code: 0, stdout: 'Added carol (user).\n', stderr: '' });
    const changed = await cli(['users', 'set-password', 'carol', '--password-stdin', ...db], {
      stdin: 'carol-password-2\r\n',
    });
    assert.deepEqual(changed, {
      code: 0,
      stdout: 'New password for carol; their sign-ins are revoked.\n',
      stderr: '',
    });
    const storage = await openStorage(databaseUrl);
    try {
      const users = createUserDirectory(storage.auth);
      assert.equal((await users.authenticate('carol', 'carol-password-2'))?.username, 'carol');
      assert.equal(await users.authenticate('carol', 'carol-password-2\r\n'), undefined);
    } finally {
      await storage.close();
    }
  });

  test('serve without AUTH_ISSUER runs the embedded authorization server and shows the first accounts once', async () => {
    const env = { PORT: '0', DATABASE_URL: join(dir, 'embedded.db') };
    const serveOnce = async () => {
      const server = serve(env);
      try {
        await server.listening;
        const origin = `http://localhost:${server.port()}`;
        const discovery = await fetch(`${origin}/.well-known/oauth-authorization-server`);
        assert.equal(((await discovery.json()) as { issuer: string }).issuer, origin);
      } finally {
        server.stop('SIGTERM');
      }
      assert.equal(await server.exited, 0);
      return { stdout: server.stdout(), stderr: server.stderr() };
    };
    const first = await serveOnce();
    assert.match(first.stderr, /First start/);
    assert.match(first.stderr, /^\s+admin\s+role admin\s+password \S{20}$/m);
    assert.match(first.stderr, /^\s+user\s+role user\s+password \S{20}$/m);
    assert.doesNotMatch(first.stdout, /password/, 'the passwords never reach the log on stdout');
    for (const line of first.stdout.trimEnd().split('\n')) JSON.parse(line);
    const second = await serveOnce();
    assert.doesNotMatch(
      second.stderr + second.stdout,
      /First start|password/,
      'passwords are shown only on the first start',
    );
    assert.match(second.stdout, /"msg":"shutting down","signal":"SIGTERM"/);
  });

  test('serve gives up waiting for the shutdown at a second signal: exit 1', async () => {
    const server = serve({ PORT: '0', DATABASE_URL: join(dir, 'impatient.db') });
    await server.listening;
    server.stop('SIGINT');
    server.stop('SIGINT');
    assert.equal(await server.exited, 1);
  });
});
