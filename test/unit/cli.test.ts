import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { createUserDirectory } from '../../src/authorization-server/users.js';
import { configSchema } from '../../src/config/load-config.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { type CliRun, cli } from '../support/cli-io.js';
import { useTempDir } from '../support/temp-dir.js';

function assertNoStackTrace(run: CliRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at /m, `a clear message, not a stack trace:\n${run.stderr}`);
}

const flagOf = (key: string) => `--${key.toLowerCase().replaceAll('_', '-')}`;

const inTemp = useTempDir('todo-manager-cli-');

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
      ['serve', '--port', '0', '--public-url', 'http://todos.example.com', '--database-url', inTemp('x.db')],
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
      const run = await cli([...argv, '--database-url', inTemp('refused.db')]);
      assert.equal(run.code, 1, argv.join(' '));
      assert.match(run.stderr, /^Error: \S/, argv.join(' '));
      assertNoStackTrace(run);
    }
  });

  test('a SQLite database that cannot be opened is named in a clear message, exit 1', async () => {
    const folder = inTemp('a-folder');
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
    const broken = new Error('the terminal went away');
    const stdout = {
      write: () => {
        throw broken;
      },
    };
    const run = await cli(['--help'], { env: { LOG_LEVEL: 'error' }, stdout });
    assert.equal(run.code, 1);
    const entry = JSON.parse(run.stderr) as { level: string; msg: string; err: { message: string } };
    assert.deepEqual([entry.level, entry.msg, entry.err.message], ['error', 'fatal', broken.message]);
  });
});

describe('cli commands', () => {
  test('migrate applies every migration, then reports the database up to date', async () => {
    const databaseUrl = inTemp('migrate', 'todos.db');
    const first = await cli(['migrate', '--database-url', databaseUrl]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, `Applied migrations: ${MIGRATIONS.map((m) => m.version).join(', ')}\n`);
    assert.ok(existsSync(databaseUrl), 'the database file was created');
    const second = await cli(['migrate'], { env: { DATABASE_URL: databaseUrl } });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, 'The database is up to date.\n');
  });

  test('a password read from stdin loses its final line break, and is not printed', async () => {
    const databaseUrl = inTemp('users.db');
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
});

describe('cli first-hour refusals', () => {
  test('commands other than migrate and serve refuse a database that does not exist, and create nothing', async () => {
    for (const argv of [
      ['users', 'list'],
      ['keys', 'list'],
      ['audit', 'tail'],
    ]) {
      const path = inTemp('nope', `${argv[0]}.db`);
      const run = await cli([...argv, '--database-url', path]);
      assert.equal(run.code, 1, argv.join(' '));
      assert.equal(
        run.stderr,
        `Error: there is no database at ${path}; start the server or run "migrate" to create one there\n`,
      );
      assert.equal(existsSync(path), false, `${argv.join(' ')} created nothing`);
    }
  });

  test('a file that is not a database of ours is named and refused', async () => {
    const path = inTemp('garbage.db');
    await writeFile(path, 'not a database');
    const run = await cli(['users', 'list', '--database-url', path]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`^Error: The SQLite database ${path.replaceAll('/', '\\/')} cannot be opened`),
    );
  });

  test('an unknown scheme in DATABASE_URL is bad configuration (exit 2), and no file of that name appears', async () => {
    const run = await cli(['migrate'], { env: { DATABASE_URL: 'postgress://postgres@127.0.0.1:5432/test' } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /DATABASE_URL must be a SQLite path/);
    assert.equal(existsSync('postgress:'), false);
  });

  test('a variable that looks like a misspelt setting is named with the likely one', async () => {
    const run = await cli(['migrate', '--database-url', inTemp('spelling.db')], {
      env: { DATABSE_URL: 'x', AUTH_ISUER: 'y', log_level: 'debug', HOME: '/root', PATH: '/bin' },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stderr,
      'Warning: DATABSE_URL is not a setting; did you mean DATABASE_URL?\n' +
        'Warning: AUTH_ISUER is not a setting; did you mean AUTH_ISSUER?\n' +
        'Warning: log_level is not a setting; did you mean LOG_LEVEL?\n',
    );
  });

  test('a users command line is checked before any database is opened', async () => {
    const path = inTemp('never.db');
    for (const [argv, message] of [
      [['users', 'add', 'carol'], '--role is required: user or admin'],
      [['users', 'add', 'carol', '--role', 'boss'], '"boss" is not a role: use user or admin'],
      [['users', 'set-role', 'carol'], 'users set-role needs a role after the username: user or admin'],
      [['users', 'remove'], 'users remove needs a username'],
      [['users', 'frobnicate'], 'unknown users command "frobnicate"'],
      [['keys', 'frobnicate'], 'unknown keys command "frobnicate"'],
    ] as const) {
      const run = await cli([...argv, '--database-url', path]);
      assert.deepEqual([run.code, run.stderr], [1, `Error: ${message}\n`], argv.join(' '));
    }
    assert.equal(existsSync(path), false);
  });

  test('a chosen password that is easy to guess is refused with the reason', async () => {
    const db = ['--database-url', inTemp('weak.db')];
    assert.equal((await cli(['migrate', ...db])).code, 0);
    for (const [password, why] of [
      ['password', 'one of the most used passwords'],
      ['12345678', 'one of the most used passwords'],
      ['qwertyuiop', 'one of the most used passwords'],
      ['carolcarol1', 'repeated patterns'],
    ] as const) {
      const run = await cli(['users', 'add', 'carol', '--role', 'user', '--password-stdin', ...db], {
        stdin: password,
      });
      assert.equal(run.code, 1, password);
      assert.match(run.stderr, new RegExp(`^Error: that password is too weak: .*${why}`), password);
    }
    const strong = await cli(['users', 'add', 'carol', '--role', 'user', '--password-stdin', ...db], {
      stdin: 'maple river copper lantern',
    });
    assert.equal(strong.code, 0, strong.stderr);
  });
});
