import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { ConfigError, type ConfigInput, configSchema, loadConfig } from '../../src/config/load-config.js';

const ISSUER = 'https://id.example.com';

/** Loads settings that must be rejected and returns every problem reported. */
function problemsOf(input: ConfigInput): readonly string[] {
  try {
    loadConfig(input);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

/** Asserts that exactly the named variables have problems, one or more each. */
function assertProblemsName(problems: readonly string[], variables: readonly string[]): void {
  for (const variable of variables) {
    assert.ok(
      problems.some((p) => p.includes(variable)),
      `expected a problem naming ${variable} in ${JSON.stringify(problems)}`,
    );
  }
  const named = problems.filter((p) => variables.some((v) => p.includes(v)));
  assert.deepEqual(named, problems, 'every problem names one of the bad variables');
}

describe('loadConfig defaults', () => {
  test('nothing set: the embedded authorization server, with the public URL as its issuer', () => {
    const config = loadConfig({});
    assert.equal(config.auth.mode, 'embedded');
    assert.equal(config.auth.issuer, 'http://localhost:3001');
    assert.equal(config.auth.audience, 'http://localhost:3001/mcp');
  });

  test('AUTH_DPOP takes allowed, required or off and nothing else', () => {
    for (const mode of ['allowed', 'required', 'off'] as const) {
      assert.equal(loadConfig({ AUTH_DPOP: mode }).auth.dpop, mode);
    }
    assertProblemsName(problemsOf({ AUTH_DPOP: 'yes' }), ['AUTH_DPOP']);
  });

  test('auth:max-token-age AUTH_MAX_TOKEN_AGE is a whole number of seconds, for JWT validation only', () => {
    assert.equal(loadConfig({}).auth.maxTokenAgeS, undefined);
    assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, AUTH_MAX_TOKEN_AGE: '300' }).auth.maxTokenAgeS, 300);
    for (const bad of ['0', '-5', '1.5', 'ten']) {
      assertProblemsName(problemsOf({ AUTH_MAX_TOKEN_AGE: bad }), ['AUTH_MAX_TOKEN_AGE']);
    }
    const introspection = {
      AUTH_ISSUER: ISSUER,
      AUTH_TOKEN_VALIDATION: 'introspection',
      AUTH_CLIENT_ID: 'rs',
      AUTH_CLIENT_SECRET: 'secret',
      AUTH_MAX_TOKEN_AGE: '300',
    };
    assertProblemsName(problemsOf(introspection), ['AUTH_MAX_TOKEN_AGE']);
  });

  test('metrics are served nowhere by default; METRICS_PORT, METRICS_HOST and METRICS_TOKEN are checked', () => {
    assert.deepEqual(loadConfig({}).metrics, { port: undefined, host: '127.0.0.1', token: undefined });
    assert.deepEqual(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics, {
      port: 9464,
      host: '0.0.0.0',
      token: undefined,
    });
    assertProblemsName(problemsOf({ METRICS_PORT: 'x' }), ['METRICS_PORT']);
    assertProblemsName(problemsOf({ METRICS_PORT: '3001' }), ['METRICS_PORT']);
    assertProblemsName(problemsOf({ METRICS_TOKEN: 'short' }), ['METRICS_TOKEN']);
    assertProblemsName(problemsOf({ METRICS_TOKEN: `${'x'.repeat(32)} y` }), ['METRICS_TOKEN']);
  });

  test('AUTH_ISSUER set: an external authorization server', () => {
    assert.equal(loadConfig({ AUTH_ISSUER: ISSUER }).auth.mode, 'external');
  });

  test('only AUTH_ISSUER set: every other setting takes its documented default', () => {
    const config = loadConfig({ AUTH_ISSUER: ISSUER });
    assert.equal(config.port, 3001);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:3001');
    assert.equal(config.resource, 'http://localhost:3001/mcp');
    assert.equal(config.databaseUrl, './data/todo-manager.db');
    assert.equal(config.auth.issuer, ISSUER);
    assert.equal(config.auth.audience, 'http://localhost:3001/mcp');
    assert.equal(config.auth.validation, 'jwt');
    assert.equal(config.auth.dpop, 'allowed');
    assert.equal(config.allowedOrigins, undefined);
    assert.equal(config.logLevel, 'info');
  });

  test('PUBLIC_URL defaults to http://localhost:$PORT and follows PORT', () => {
    const config = loadConfig({ AUTH_ISSUER: ISSUER, PORT: '8080' });
    assert.equal(config.port, 8080);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.resource, 'http://localhost:8080/mcp');
    assert.equal(config.auth.audience, 'http://localhost:8080/mcp');
  });

  test('the resource is PUBLIC_URL/mcp without a doubled slash, and the audience follows it', () => {
    const config = loadConfig({ AUTH_ISSUER: ISSUER, PUBLIC_URL: 'https://todos.example.com/' });
    assert.equal(config.publicUrl, 'https://todos.example.com');
    assert.equal(config.resource, 'https://todos.example.com/mcp');
    assert.equal(config.auth.audience, 'https://todos.example.com/mcp');
  });

  test('AUTH_AUDIENCE overrides the audience but not the resource', () => {
    const config = loadConfig({
      AUTH_ISSUER: ISSUER,
      PUBLIC_URL: 'https://todos.example.com',
      AUTH_AUDIENCE: 'api://todos',
    });
    assert.equal(config.auth.audience, 'api://todos');
    assert.equal(config.resource, 'https://todos.example.com/mcp');
  });

  test('empty and blank values count as unset', () => {
    const config = loadConfig({ AUTH_ISSUER: ISSUER, PORT: '', LOG_LEVEL: '  ', PUBLIC_URL: '' });
    assert.equal(config.port, 3001);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.publicUrl, 'http://localhost:3001');
  });

  test('ALLOWED_ORIGINS is split on commas, trimmed, and loses a trailing slash', () => {
    const config = loadConfig({
      AUTH_ISSUER: ISSUER,
      ALLOWED_ORIGINS: ' https://app.example.com/ , http://localhost:5173,',
    });
    assert.deepEqual(config.allowedOrigins, ['https://app.example.com', 'http://localhost:5173']);
  });

  test('keys outside the schema are ignored', () => {
    const input = { AUTH_ISSUER: ISSUER, SOMETHING_ELSE: 'x' } as ConfigInput;
    assert.equal(loadConfig(input).auth.issuer, ISSUER);
  });
});

describe('loadConfig problems', () => {
  test('several bad settings are reported together in one ConfigError', () => {
    const problems = problemsOf({
      AUTH_ISSUER: ISSUER,
      PORT: 'eighty',
      LOG_LEVEL: 'verbose',
      PUBLIC_URL: 'http://todos.example.com',
      ALLOWED_ORIGINS: 'not an origin',
    });
    assertProblemsName(problems, ['PORT', 'LOG_LEVEL', 'PUBLIC_URL', 'ALLOWED_ORIGINS']);
  });

  test('the error message lists every problem', () => {
    try {
      loadConfig({ PORT: '-5', LOG_LEVEL: 'loud', AUTH_ISSUER: 'ftp://id.example.com' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.problems.length >= 3);
      for (const problem of error.problems) assert.ok(error.message.includes(problem));
    }
  });

  for (const [name, url] of [
    ['localhost', 'http://localhost:8080'],
    ['127.0.0.1', 'http://127.0.0.1:8080'],
    ['::1', 'http://[::1]:8080'],
  ] as const) {
    test(`plain http: is accepted on loopback (${name}) for PUBLIC_URL and AUTH_ISSUER`, () => {
      const config = loadConfig({ AUTH_ISSUER: url, PUBLIC_URL: url });
      assert.equal(config.auth.issuer, url);
      assert.equal(config.resource, `${new URL(url).origin}/mcp`);
    });
  }

  for (const url of ['http://todos.example.com', 'http://10.0.0.5:3001', 'http://localhost.example.com']) {
    test(`plain http: off loopback is rejected for PUBLIC_URL and AUTH_ISSUER (${url})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: url, PUBLIC_URL: url }), ['PUBLIC_URL', 'AUTH_ISSUER']);
    });
  }

  test('https: is accepted anywhere; other schemes are not', () => {
    const config = loadConfig({
      AUTH_ISSUER: 'https://id.example.com/realms/a',
      PUBLIC_URL: 'https://t.example',
    });
    assert.equal(config.auth.issuer, 'https://id.example.com/realms/a');
    assertProblemsName(problemsOf({ AUTH_ISSUER: 'ftp://id.example.com' }), ['AUTH_ISSUER']);
    assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, PUBLIC_URL: 'ws://localhost:3001' }), [
      'PUBLIC_URL',
    ]);
  });

  test('a URL that is not absolute is a reported problem, not a crash', () => {
    assertProblemsName(problemsOf({ AUTH_ISSUER: 'id.example.com', PUBLIC_URL: 'todos.example.com' }), [
      'AUTH_ISSUER',
      'PUBLIC_URL',
    ]);
  });

  test('the loopback check ignores case, and the resource uses the canonical lowercase host', () => {
    const config = loadConfig({ AUTH_ISSUER: 'http://LOCALHOST:9000', PUBLIC_URL: 'http://LocalHost:8080' });
    assert.equal(config.auth.issuer, 'http://LOCALHOST:9000');
    assert.equal(config.resource, 'http://localhost:8080/mcp');
  });

  for (const url of [
    'https://todos.example.com/api',
    'https://todos.example.com/?x=1',
    'http://localhost:3001/mcp',
  ]) {
    test(`a PUBLIC_URL with a path or query is rejected (${url})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, PUBLIC_URL: url }), ['PUBLIC_URL']);
    });
  }

  for (const port of ['abc', '65536', '-1', '80.5', '3001x']) {
    test(`a bad PORT is rejected (${port})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, PORT: port }), ['PORT']);
    });
  }

  test('PORT 0 (any free port) and 65535 are accepted', () => {
    assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, PORT: '0' }).port, 0);
    assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, PORT: '65535' }).port, 65535);
  });

  for (const level of ['verbose', 'INFO', 'trace']) {
    test(`a bad LOG_LEVEL is rejected (${level})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, LOG_LEVEL: level }), ['LOG_LEVEL']);
    });
  }

  test('every documented LOG_LEVEL is accepted', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, LOG_LEVEL: level }).logLevel, level);
    }
  });

  for (const origins of [
    'app.example.com',
    'https://app.example.com/path',
    'ftp://app.example.com',
    'https://app.example.com,*',
    'https://app.example.com?x=1',
  ]) {
    test(`a bad ALLOWED_ORIGINS entry is rejected (${origins})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, ALLOWED_ORIGINS: origins }), ['ALLOWED_ORIGINS']);
    });
  }

  test('AUTH_TOKEN_VALIDATION accepts jwt and rejects anything this version cannot do', () => {
    assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, AUTH_TOKEN_VALIDATION: 'jwt' }).auth.validation, 'jwt');
    assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, AUTH_TOKEN_VALIDATION: 'magic' }), [
      'AUTH_TOKEN_VALIDATION',
    ]);
  });
});

describe('DATABASE_URL', () => {
  for (const url of [
    './data/todos.db',
    '/srv/todos.db',
    'todos.db',
    ':memory:',
    'file:///srv/todos.db',
    'sqlite:data/todos.db',
    'sqlite:///srv/todos.db',
    'postgres://app@db.internal:5432/todos',
    'postgresql://app@db.internal/todos',
    'C:\\data\\todos.db',
  ]) {
    test(`a path or a known scheme is accepted (${url})`, () => {
      assert.equal(loadConfig({ AUTH_ISSUER: ISSUER, DATABASE_URL: url }).databaseUrl, url);
    });
  }

  for (const url of [
    'postgress://postgres@127.0.0.1:5432/test',
    'mysql://x',
    'redis://cache',
    'postgres:oops',
  ]) {
    test(`an unknown or broken scheme is bad configuration, never a file name (${url})`, () => {
      assertProblemsName(problemsOf({ AUTH_ISSUER: ISSUER, DATABASE_URL: url }), ['DATABASE_URL']);
    });
  }
});

describe('PORT=0 and the public URL', () => {
  test('with PORT=0 and no PUBLIC_URL, the public URL, resource and embedded issuer follow the bound port', () => {
    const bound = loadConfig({ PORT: '0' }).atPort(43123);
    assert.equal(bound.publicUrl, 'http://localhost:43123');
    assert.equal(bound.resource, 'http://localhost:43123/mcp');
    assert.equal(bound.auth.issuer, 'http://localhost:43123');
    assert.equal(bound.port, 43123);
  });

  test('a PUBLIC_URL stays what it says whatever port is bound', () => {
    const config = loadConfig({ PORT: '0', PUBLIC_URL: 'https://todos.example.com' });
    assert.equal(config.atPort(43123), config);
  });

  test('listening beyond loopback needs PUBLIC_URL, the URL clients use', () => {
    assertProblemsName(problemsOf({ HOST: '0.0.0.0' }), ['PUBLIC_URL']);
    assert.equal(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://todos.example.com' }).host, '0.0.0.0');
    assert.equal(loadConfig({ HOST: 'localhost' }).host, 'localhost');
  });
});

test('the returned configuration is frozen, nested objects included', () => {
  const config = loadConfig({ AUTH_ISSUER: ISSUER, ALLOWED_ORIGINS: 'https://app.example.com' });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.auth));
  assert.ok(Object.isFrozen(config.allowedOrigins));
  assert.throws(() => {
    (config as { port: number }).port = 1;
  }, TypeError);
  assert.throws(() => {
    (config.auth as { issuer: string }).issuer = 'https://evil.example';
  }, TypeError);
  assert.throws(() => {
    (config.allowedOrigins as string[]).push('https://evil.example');
  }, TypeError);
});

/** One row of the README's configuration table. */
interface ReadmeSetting {
  readonly variable: string;
  readonly defaultCell: string;
}

/** Reads the first table under the README's `## Configuration` heading. */
async function readmeSettings(): Promise<ReadmeSetting[]> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration'));
  assert.ok(section, 'README.md has a "## Configuration" section');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
        .split('|')
        .map((cell) => cell.trim()),
    );
  const [header, separator, ...body] = rows;
  assert.deepEqual(header?.slice(0, 3), ['variable', 'default', 'meaning']);
  assert.match(separator?.[0] ?? '', /^-+$/);
  return body.map(([variableCell = '', defaultCell = '']) => {
    const variable = /^`([A-Z0-9_]+)`$/.exec(variableCell)?.[1];
    assert.ok(variable, `README variable cell ${JSON.stringify(variableCell)} is one \`NAME\``);
    return { variable, defaultCell };
  });
}

test('README configuration table lists exactly the configSchema keys', async () => {
  const documented = (await readmeSettings()).map((s) => s.variable);
  assert.deepEqual([...documented].sort(), Object.keys(configSchema.shape).sort());
  assert.equal(new Set(documented).size, documented.length, 'no variable is listed twice');
});

test('README configuration defaults match the schema defaults', async () => {
  const shape = configSchema.shape as Record<string, { safeParse(value: unknown): { data?: unknown } }>;
  let compared = 0;
  for (const { variable, defaultCell } of await readmeSettings()) {
    const schemaDefault = shape[variable]?.safeParse(undefined).data;
    // Settings without a schema default (unset, or derived like PUBLIC_URL) are described in words.
    if (schemaDefault !== undefined) {
      assert.equal(defaultCell, `\`${String(schemaDefault)}\``, `README default of ${variable}`);
      compared += 1;
    }
  }
  assert.ok(compared >= 5, 'the schema defaults were found and compared');
});
