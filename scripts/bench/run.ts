/**
 * `npm run bench`: measures this server against the machine's and the SDK's floors in one run and
 * writes docs/benchmarks.md and docs/benchmarks.svg. See docs/benchmarks.md, "How to run".
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK } from 'jose';
import { startTestIssuer } from '../../test/support/test-issuer.js';
import { renderChart } from './chart.js';
import { buildChildren, killAllChildren, type ServerChild, startChild } from './child-process.js';
import { type Bound, checkFirstResponse, type Measurement, measure } from './load.js';
import { describeMachine } from './machine.js';
import { preparePostgres } from './postgres.js';
import type { ChildOptions, IssuerHandle } from './protocol.js';
import { consoleTable, keptProfiles, markdown } from './report.js';
import {
  type BenchReport,
  type MemoryResult,
  type Scenario,
  type ScenarioResult,
  type Series,
  summarize,
} from './results.js';
import { readSettings, type Settings } from './settings.js';
import { evaluateTargets } from './targets.js';
import { evaluateIssue15Targets } from './targets-issue-15.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

const int = (value: number) => Math.round(value).toLocaleString('en');

function describe(m: Measurement): string {
  return `${int(m.requestsPerSecond)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms${m.failures > 0 ? `, ${m.failures} FAILED` : ''}`;
}

function appScenarios(child: string, backend: string): Scenario[] {
  return (['get-todos', 'get-todos-dpop', 'create-todo', 'whoami'] as const).map((tool) => ({
    key: `c-${backend.toLowerCase()}-${tool}`,
    label:
      tool === 'get-todos-dpop'
        ? `(c) ${backend}: get-todos, DPoP-bound token and a proof per request`
        : `(c) ${backend}: ${tool}`,
    series: 'c',
    child,
    offered: tool,
  }));
}

/** create-todo then delete-todo by owners of 1 and of 9,980 todos: a create's cost must not grow with them. */
function createDeleteScenarios(): Scenario[] {
  return (
    [
      ['light', '1 todo'],
      ['heavy', '9,980 todos'],
    ] as const
  ).map(([kind, count]) => ({
    key: `c-sqlite-create-delete-${kind}`,
    label: `(c) SQLite: create-todo + delete-todo, owners at ${count}`,
    series: 'c',
    child: 'app-sqlite-owners',
    offered: `create-delete-${kind}`,
  }));
}

function scaleScenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const who of ['admin', 'user'] as const) {
    for (const page of ['first', 'deep'] as const) {
      for (const [size, count] of [
        ['1k', '1,000'],
        ['1m', '1,000,000'],
      ] as const) {
        out.push({
          key: `d-${size}-${who}-${page}`,
          label: `(d) ${count} todos: ${who}, ${page === 'first' ? 'newest' : 'oldest'} page`,
          series: 'd',
          child: `scale-${size}`,
          offered: `${who}-${page}`,
        });
      }
    }
  }
  return out;
}

/**
 * A smaller young generation for one more (c) server: V8 lets it grow to 2 x 16 MiB under load.
 * Its rows show operators what capping it saves in memory and costs in throughput.
 */
const LEAN_FLAGS = ['--max-semi-space-size=4'] as const;

interface Plan {
  readonly name: string;
  readonly options: ChildOptions;
  readonly nodeFlags?: readonly string[];
  readonly readyTimeoutMs: number;
  /** A child whose failure skips its rows with a note instead of failing the run. */
  readonly isOptional: boolean;
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const startedAt = new Date();
  const started = performance.now();
  const machine = describeMachine();
  const workDir = mkdtempSync(join(tmpdir(), 'todo-bench-'));
  const notes: string[] = [];
  let dropPostgresSync: (() => void) | undefined;
  const cleanUpSync = () => {
    killAllChildren();
    try {
      dropPostgresSync?.();
    } catch {
      // Best effort while exiting; a later run uses a database of its own name anyway.
    }
    dropPostgresSync = undefined;
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('exit', cleanUpSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      say(`\n${signal}: stopping the servers`);
      process.exit(130);
    });
  }

  say(
    `Todo Manager MCP benchmark: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`,
  );
  say(`load average at start: ${machine.loadAverage.join(' ')}`);
  say(
    `${settings.rounds} rounds x ${settings.seconds} s per scenario, ${settings.warmupSeconds} s warm-up; memory runs of ${int(settings.memoryRequests)} requests`,
  );

  const postgres = await preparePostgres();
  if (postgres.available) {
    dropPostgresSync = postgres.dropSync;
  } else {
    notes.push(`PostgreSQL rows skipped: ${postgres.reason}.`);
    say(`note: PostgreSQL rows skipped: ${postgres.reason}`);
  }

  say('\ncompiling the servers (tsc)');
  buildChildren();
  // The issuer lives here, beside the load generator: a server child holds nothing but its server.
  const testIssuer = await startTestIssuer();
  const [issuerKey] = testIssuer.keys;
  if (issuerKey === undefined) throw new Error('the test issuer has no key');
  const issuer: IssuerHandle = {
    url: testIssuer.issuer,
    signingKey: { ...(await exportJWK(issuerKey.privateKey)), kid: issuerKey.kid, alg: issuerKey.alg },
  };

  const mainPlans: Plan[] = [
    { name: 'bare', options: { kind: 'bare', workDir }, readyTimeoutMs: 30_000, isOptional: false },
    { name: 'sdk', options: { kind: 'sdk', workDir }, readyTimeoutMs: 30_000, isOptional: false },
    {
      name: 'app-sqlite',
      options: { kind: 'app', workDir, issuer, databaseUrl: join(workDir, 'app.db') },
      readyTimeoutMs: 60_000,
      isOptional: false,
    },
    {
      name: 'app-sqlite-owners',
      options: {
        kind: 'app',
        workDir,
        issuer,
        databaseUrl: join(workDir, 'app-owners.db'),
        withOwners: true,
      },
      readyTimeoutMs: 120_000,
      isOptional: false,
    },
    {
      name: 'app-sqlite-embedded',
      options: {
        kind: 'app',
        workDir,
        issuer,
        databaseUrl: join(workDir, 'app-embedded.db'),
        embedded: true,
      },
      readyTimeoutMs: 60_000,
      isOptional: false,
    },
    {
      name: 'app-sqlite-lean',
      options: { kind: 'app', workDir, issuer, databaseUrl: join(workDir, 'app-lean.db') },
      nodeFlags: LEAN_FLAGS,
      readyTimeoutMs: 60_000,
      isOptional: false,
    },
    ...(postgres.available
      ? [
          {
            name: 'app-postgres',
            options: { kind: 'app', workDir, issuer, databaseUrl: postgres.databaseUrl } as ChildOptions,
            readyTimeoutMs: 60_000,
            isOptional: true,
          },
        ]
      : []),
  ];
  const scalePlans: Plan[] = [
    {
      name: 'scale-1k',
      options: {
        kind: 'scale',
        workDir,
        issuer,
        databaseUrl: join(workDir, 'scale-1k.db'),
        todos: settings.smallTodos,
        users: settings.smallUsers,
      },
      readyTimeoutMs: 120_000,
      isOptional: false,
    },
    {
      name: 'scale-1m',
      options: {
        kind: 'scale',
        workDir,
        issuer,
        databaseUrl: join(workDir, 'scale-1m.db'),
        todos: settings.scaleTodos,
        users: settings.scaleUsers,
      },
      // Seeding through the store port row by row, should the bulk path not apply, takes minutes.
      readyTimeoutMs: 600_000,
      isOptional: false,
    },
  ];
  const mainScenarios: Scenario[] = [
    { key: 'a', label: '(a) bare node:http', series: 'a', child: 'bare', offered: 'tools-call' },
    { key: 'b', label: '(b) SDK v2, one trivial tool', series: 'b', child: 'sdk', offered: 'tools-call' },
    ...appScenarios('app-sqlite', 'SQLite'),
    ...createDeleteScenarios(),
    {
      key: 'c-sqlite-embedded-get-todos',
      label: '(c) SQLite, embedded authorization server: get-todos (revoked-grant check, grant use noted)',
      series: 'c',
      child: 'app-sqlite-embedded',
      offered: 'get-todos',
    },
    {
      key: 'c-sqlite-get-todos-lean',
      label: `(c) SQLite: get-todos, ${LEAN_FLAGS.join(' ')}`,
      series: 'c',
      child: 'app-sqlite-lean',
      offered: 'get-todos',
    },
    ...appScenarios('app-postgres', 'PostgreSQL'),
  ];
  const scale = scaleScenarios();
  const isSelected = (scenario: Scenario) => settings.only === undefined || settings.only.has(scenario.key);
  const isNeeded = (plan: Plan) =>
    [...mainScenarios, ...scale].some((scenario) => scenario.child === plan.name && isSelected(scenario));
  if (settings.only !== undefined) {
    const known = new Set([...mainScenarios, ...scale].map((scenario) => scenario.key));
    const unknown = [...settings.only].filter((key) => !known.has(key));
    if (unknown.length > 0) throw new Error(`BENCH_ONLY names no scenario: ${unknown.join(', ')}`);
    say(`only ${[...settings.only].join(', ')}: no memory runs, docs/benchmarks.md left as it is`);
  }

  const children = new Map<string, ServerChild>();
  const setUp = async (plans: readonly Plan[]) => {
    for (const plan of plans) {
      const at = performance.now();
      try {
        const child = await startChild(
          plan.name,
          plan.options,
          plan.readyTimeoutMs,
          settings.profileDir,
          plan.nodeFlags,
        );
        for (const scenario of [...mainScenarios, ...scale].filter((s) => s.child === plan.name)) {
          await checkFirstResponse(child.scenario(scenario.offered)).catch((error: unknown) => {
            throw new Error(`${scenario.label}: the first answer is wrong: ${(error as Error).message}`);
          });
        }
        children.set(plan.name, child);
        say(`  ${plan.name} ready in ${((performance.now() - at) / 1000).toFixed(1)} s`);
        for (const fact of child.notes) say(`    ${fact}`);
        if (child.notes.length > 0) notes.push(`${plan.name}: ${child.notes.join('; ')}.`);
      } catch (error) {
        if (!plan.isOptional) throw error;
        const reason = (error as Error).message.split('\n')[0];
        notes.push(`${plan.name} rows skipped: ${reason}`);
        say(`  note: ${plan.name} rows skipped: ${reason}`);
      }
    }
  };
  try {
    say('\nsetting up');
    await setUp(mainPlans.filter(isNeeded));

    // Before the scale servers are seeded (minutes): idle that long, V8 shrinks a server's young
    // generation, and the memory run would then watch it grow back instead of the server's own use.
    say('\nmemory (fresh processes, before any other load)');
    const memory: MemoryResult[] = [];
    const memoryPlans = [
      ['app-sqlite', 'get-todos', '(c) SQLite, authenticated get-todos', 'c'],
      ['sdk', 'tools-call', '(b) SDK v2, one trivial tool', 'b'],
      ['app-sqlite-lean', 'get-todos', `(c) SQLite, get-todos, ${LEAN_FLAGS.join(' ')}`, 'c'],
    ] as const;
    for (const [childName, offered, label, series] of settings.only === undefined ? memoryPlans : []) {
      const child = children.get(childName);
      const nodeFlags = mainPlans.find((plan) => plan.name === childName)?.nodeFlags ?? [];
      if (child !== undefined) {
        memory.push({ ...(await memoryRun(child, offered, label, series, settings)), nodeFlags });
      }
    }

    if (scalePlans.some(isNeeded)) {
      say('\nsetting up the scale servers');
      await setUp(scalePlans.filter(isNeeded));
    }

    const results: ScenarioResult[] = [];
    for (const [title, group] of [
      ['floors and this server', mainScenarios],
      ['scale', scale],
    ] as const) {
      say(`\n${title}`);
      results.push(
        ...(await rounds(
          group.filter((s) => children.has(s.child) && isSelected(s)),
          children,
          settings,
        )),
      );
    }

    say('\nstopping the servers');
    await Promise.all([...children.values()].map((child) => child.stop()));
    children.clear();
    if (postgres.available) {
      await postgres.drop();
      dropPostgresSync = undefined;
    }

    const report: BenchReport = {
      startedAt,
      elapsedSeconds: (performance.now() - started) / 1000,
      machine,
      loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
      settings,
      results,
      memory,
      notes,
    };
    if (settings.only !== undefined) {
      say(`\nload average at the end: ${report.loadAverageAtEnd.join(' ')}`);
      for (const result of results)
        say(`  ${result.scenario.label}: ${describe({ ...result, responses: 0, seconds: 0 })}`);
      return;
    }
    const targets = evaluateTargets(report);
    const issue15 = evaluateIssue15Targets(report);
    mkdirSync(DOCS, { recursive: true });
    const previous = existsSync(join(DOCS, 'benchmarks.md'))
      ? readFileSync(join(DOCS, 'benchmarks.md'), 'utf8')
      : '';
    writeFileSync(
      join(DOCS, 'benchmarks.md'),
      markdown(report, targets, { issue15, profiles: keptProfiles(previous) }),
    );
    writeFileSync(join(DOCS, 'benchmarks.svg'), renderChart(report));
    say('');
    process.stdout.write(consoleTable(report, targets, issue15));
    say(
      `\nwrote docs/benchmarks.md and docs/benchmarks.svg in ${(report.elapsedSeconds / 60).toFixed(1)} min`,
    );
  } finally {
    await Promise.allSettled([...children.values()].map((child) => child.stop()));
    await testIssuer.close();
    cleanUpSync();
  }
}

/** Reads the child's memory after a few and after many requests of one scenario. */
async function memoryRun(
  child: ServerChild,
  offered: string,
  label: string,
  series: Series,
  settings: Settings,
): Promise<Omit<MemoryResult, 'nodeFlags'>> {
  const request = child.scenario(offered);
  const checkpoints = [];
  let answered = 0;
  let failures = 0;
  let seconds = 0;
  for (const amount of [
    settings.memoryEarlyRequests,
    settings.memoryRequests - settings.memoryEarlyRequests,
  ]) {
    const run = await measure(request, { amount, maxSeconds: settings.memoryMaxSeconds });
    answered += run.responses;
    failures += run.failures;
    seconds += run.seconds;
    const { rss, heapUsed, heapTotal, external } = await child.memory();
    checkpoints.push({
      requests: answered,
      rssBytes: rss,
      heapUsedBytes: heapUsed,
      heapTotalBytes: heapTotal,
      externalBytes: external,
    });
    say(
      `  ${label}: RSS ${(rss / 2 ** 20).toFixed(1)} MiB after ${int(answered)} requests (${describe(run)})`,
    );
  }
  return { label, series, checkpoints, failures, requestsPerSecond: answered / seconds };
}

/** Measures the scenarios in turn, round after round, so that drifts of the machine hit all alike. */
async function rounds(
  scenarios: readonly Scenario[],
  children: ReadonlyMap<string, ServerChild>,
  settings: Settings,
): Promise<ScenarioResult[]> {
  const runs = new Map<string, Measurement[]>(scenarios.map((s) => [s.key, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const scenario of scenarios) {
      const child = children.get(scenario.child);
      if (child === undefined) continue;
      const request = child.scenario(scenario.offered);
      const warmup: Bound = {
        seconds: round === 0 ? settings.warmupSeconds : settings.warmupSeconds / 4,
      };
      await measure(request, warmup);
      const run = await measure(request, { seconds: settings.seconds });
      runs.get(scenario.key)?.push(run);
      say(`  round ${round + 1}/${settings.rounds} ${scenario.label}: ${describe(run)}`);
    }
  }
  return scenarios.map((s) => summarize(s, runs.get(s.key) ?? []));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
