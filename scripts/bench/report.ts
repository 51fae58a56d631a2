import { CONNECTIONS } from './load.js';
import { type BenchReport, findResult, type ScenarioResult } from './results.js';
import type { TargetOutcome } from './targets.js';

const int = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en') : 'n/a');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

interface Row {
  readonly scenario: string;
  readonly rps: string;
  readonly p50: string;
  readonly p99: string;
  readonly overA: string;
  readonly overB: string;
  readonly rounds: string;
  readonly failures: string;
}

function rows(report: BenchReport): Row[] {
  const a = findResult(report, 'a');
  const b = findResult(report, 'b');
  return report.results.map((r: ScenarioResult) => {
    const isApp = r.scenario.series === 'c' || r.scenario.series === 'd';
    return {
      scenario: r.scenario.label,
      rps: int(r.requestsPerSecond),
      p50: ms(r.p50),
      p99: ms(r.p99),
      overA: isApp && a ? times(r.requestsPerSecond / a.requestsPerSecond) : '',
      overB: isApp && b ? times(r.requestsPerSecond / b.requestsPerSecond) : '',
      rounds: r.runs.map((m) => int(m.requestsPerSecond)).join(' / '),
      failures: String(r.failures),
    };
  });
}

const HEADINGS: Row = {
  scenario: 'scenario',
  rps: 'req/s',
  p50: 'p50 ms',
  p99: 'p99 ms',
  overA: '(c)/(a)',
  overB: '(c)/(b)',
  rounds: 'req/s per round',
  failures: 'failed',
};

/** The results as a fixed-width table for the terminal. */
export function consoleTable(
  report: BenchReport,
  targets: readonly TargetOutcome[],
  issue15: readonly TargetOutcome[] = [],
): string {
  const all = [HEADINGS, ...rows(report)];
  const keys = Object.keys(HEADINGS) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
  const line = (r: Row) =>
    keys
      .map((k, i) =>
        k === 'scenario' || k === 'rounds' ? r[k].padEnd(widths[i] ?? 0) : r[k].padStart(widths[i] ?? 0),
      )
      .join('  ');
  const out = [line(HEADINGS), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)];
  out.push('', 'memory (RSS after GC):');
  for (const m of report.memory) {
    out.push(
      `  ${m.label}: ${m.checkpoints.map((c) => `${mib(c.rssBytes)} after ${int(c.requests)}`).join(', ')}`,
    );
  }
  out.push('', 'targets:');
  for (const t of targets) out.push(`  [${verdict(t)}] ${t.target}: ${t.measured}`);
  out.push('', 'targets of issue 15:');
  for (const t of issue15) out.push(`  [${verdict(t)}] ${t.target}: ${t.measured}`);
  return `${out.join('\n')}\n`;
}

function verdict(t: TargetOutcome): string {
  if (t.met === undefined) return 'not measured';
  return t.met ? 'met' : 'NOT met';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Marks the hand-written profile section that every run carries over from the previous file. */
const PROFILES_START = '<!-- profiles:start (hand-written; npm run bench keeps this section as it is) -->';
const PROFILES_END = '<!-- profiles:end -->';

/** The hand-written profile section of a previous docs/benchmarks.md, markers included, if it has one. */
export function keptProfiles(previous: string): string | undefined {
  const start = previous.indexOf(PROFILES_START);
  const end = previous.indexOf(PROFILES_END, start);
  return start === -1 || end === -1 ? undefined : previous.slice(start, end + PROFILES_END.length);
}

const NO_PROFILES = [
  PROFILES_START,
  '## CPU profiles',
  '',
  'None recorded yet: run with `BENCH_PROFILE_DIR` and summarise with `scripts/bench/profile-top.ts` (see "How to run").',
  PROFILES_END,
].join('\n');

function targetTable(title: string, targets: readonly TargetOutcome[]): string[] {
  const out = ['', `## ${title}`, '', '| target | measured | met |', '|---|---|---|'];
  for (const t of targets)
    out.push(
      `| ${cell(t.target)} | ${cell(t.measured)} | ${t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  return out;
}

/** What a run writes besides the issue 7 targets: the issue 15 targets and the kept profile section. */
export interface MoreSections {
  readonly issue15: readonly TargetOutcome[];
  readonly profiles?: string | undefined;
}

/** docs/benchmarks.md: machine, settings, figures, targets and how to run it again. */
export function markdown(report: BenchReport, targets: readonly TargetOutcome[], more: MoreSections): string {
  const { machine, settings } = report;
  const minutes = Math.floor(report.elapsedSeconds / 60);
  const seconds = Math.round(report.elapsedSeconds % 60);
  const out: string[] = [];
  out.push(
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (scripts/bench/run.ts); do not edit by hand, run it again. -->',
    '',
    `Measured by \`npm run bench\` on ${report.startedAt.toISOString().replace(/\.\d+Z$/, 'Z')}; the whole run took ${minutes} min ${seconds} s.`,
    'Every server runs in a child process of its own; the load generator ([autocannon](https://github.com/mcollina/autocannon),',
    `${CONNECTIONS} connections, one request at a time on each) runs in the parent. Each scenario is measured in`,
    `${settings.rounds} rounds of ${settings.seconds} s, the servers taking turns (a, b, c, … a, b, c, …), after ${settings.warmupSeconds} s of`,
    `warm-up before the first round and ${settings.warmupSeconds / 4} s before each later one; the figures are the medians of the rounds.`,
    'Latencies are timed per response to the microsecond and include the time a request waits behind the others.',
    '',
    '![Throughput and p99 latency per scenario](benchmarks.svg)',
    '',
    '## Machine',
    '',
    '| | |',
    '|---|---|',
    `| CPUs (\`nproc\`) | ${machine.cpus} |`,
    `| CPU model | ${cell(machine.cpuModel)} |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| Node | ${machine.node} |`,
    `| date | ${report.startedAt.toISOString().slice(0, 10)} |`,
    `| load average at start (1, 5, 15 min) | ${machine.loadAverage.join(', ')} |`,
    `| load average at end | ${report.loadAverageAtEnd.join(', ')} |`,
    '',
    'The machine is shared with other work, so the figures are noisy; the per-round column shows how much.',
    '',
    '## Results',
    '',
    '| scenario | requests/s | p50 ms | p99 ms | throughput (c)/(a) | throughput (c)/(b) | requests/s per round | failed |',
    '|---|--:|--:|--:|--:|--:|---|--:|',
  );
  for (const r of rows(report)) {
    out.push(
      `| ${cell(r.scenario)} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.overA} | ${r.overB} | ${r.rounds} | ${r.failures} |`,
    );
  }
  out.push(
    '',
    "- **(a)** a bare `node:http` server that reads the body and answers a fixed JSON-RPC `tools/call` result: the machine's",
    '  floor. On 2 cores it is bounded by the load generator as much as by the server.',
    '- **(b)** a minimal stateless SDK v2 server: `createMcpHandler` over a factory that builds an `McpServer` with one',
    '  trivial tool, served by `toNodeHandler` from `@modelcontextprotocol/node`, no authentication: the SDK floor.',
    '- **(c)** this server, composed by `createApp` from `loadConfig` exactly as `todo-manager serve` does, validating real',
    "  JWTs (RS256) of a test issuer that serves discovery and JWKS over HTTP from the load generator's process; `get-todos`",
    '  by a user with 20 todos, `create-todo`',
    '  by 100 other users, one per connection, each run taking the next ten of them (their todos pile up during the run,',
    '  below the 10,000-per-user cap), `whoami`.',
    '  The create-todo + delete-todo rows (SQLite) send pairs: a create, then a delete of the todo it made, by the same',
    '  user; ten users at 1 todo, or ten at 9,980 todos, take turns. Both requests of a pair count. A server of the same',
    '  setup serves them, so that seeding its 100,000 todos leaves the memory readings of the (c) server alone.',
    '  The DPoP row is the same `get-todos` with a token bound to an ES256 key (`cnf.jkt`) sent as `Authorization: DPoP`,',
    '  and a fresh proof (new `jti`) that the load generator signs for every request: the server verifies each proof and',
    '  records its `jti` in the database (RFC 9449 §4.3, §11.1).',
    '  The embedded-authorization-server row is the same `get-todos` on a server that runs its own authorization server,',
    "  with a token signed by that server's key from its database and naming a grant (`grant_id`), as its token endpoint",
    "  issues them: each call also checks the grant against the shared list of revoked grants and notes the grant's use",
    '  (written at most once a minute). Compared with the `get-todos` row above, it shows what revocation costs.',
    `- **(d)** the same server over ${int(settings.scaleTodos)} todos of ${int(settings.scaleUsers)} users, and over ${int(settings.smallTodos)} todos of ${int(settings.smallUsers)} users (the same 100 todos`,
    '  per user), pages of 50: the newest page and the oldest page, for an admin (`read:todos`, all todos) and for a user',
    '  (own todos).',
    '- All requests are those of a 2025-11-25 client after initialize in stateless mode: `POST /mcp` with',
    '  `Accept: application/json, text/event-stream`, `Content-Type: application/json`, `MCP-Protocol-Version: 2025-11-25`.',
    '  Before a scenario is measured its first answer is checked to be the expected tool result; during the run every',
    '  non-2xx answer, connection error and body carrying an error counts as failed.',
    '',
    "- The two ratio columns divide a row's throughput by that of (a) and of (b); they are shown for every row of this",
    '  server, (c) and (d).',
    '',
    '## Memory',
    '',
    'Resident set size reported by the server process itself (`process.memoryUsage().rss`, one second after two full',
    'GCs with `--expose-gc`), on fresh processes started just before, ahead of any other load; authenticated `get-todos`',
    'for (c), the trivial tool for (b). Both run as JavaScript compiled by tsc, as a deployment runs',
    '`node dist/src/cli.js serve`. "V8 heap held" is what V8 keeps from the system for its heap (`heapTotal`): live',
    'objects, free space and the young generation, which V8 grows under load up to two semi-spaces of 16 MiB. A server',
    'run with `--max-semi-space-size=4` caps it at 2 x 4 MiB: its rows, here and in the results, show what that saves',
    "and costs. The targets use the servers run with Node's defaults.",
    '',
    '| server | requests | RSS | V8 heap used | V8 heap held | external | requests/s during the run |',
    '|---|--:|--:|--:|--:|--:|--:|',
  );
  for (const m of report.memory) {
    for (const c of m.checkpoints) {
      out.push(
        `| ${cell(m.label)} | ${int(c.requests)} | ${mib(c.rssBytes)} | ${mib(c.heapUsedBytes)} | ${mib(c.heapTotalBytes)} | ${mib(c.externalBytes)} | ${int(m.requestsPerSecond)} |`,
      );
    }
  }
  out.push(...targetTable('Targets (issue 7)', targets));
  out.push(...targetTable('Targets (issue 15)', more.issue15));
  out.push(
    '',
    'Each issue 15 target is a ratio of two rows of this run. "Flat" compares the two create-todo + delete-todo rows:',
    'ten owners at 1 todo and ten at 9,980 todos take turns creating a todo and deleting it again, so their counts stay',
    'put; a create checks the 10,000 cap on a counter row of its owner, whatever the owner holds.',
    '',
    more.profiles ?? NO_PROFILES,
  );
  if (report.notes.length > 0) {
    out.push('', '## Notes from this run', '');
    for (const note of report.notes) out.push(`- ${note}`);
  }
  out.push(
    '',
    '## How to run',
    '',
    '```sh',
    'npm run bench                    # the full run: 8 to 11 minutes on 2 cores; writes docs/benchmarks.{md,svg}',
    'BENCH_SECONDS=2 npm run bench    # a quick smoke run (2 to 3 minutes): 2 rounds, fewer requests in the memory runs',
    '```',
    '',
    '- `BENCH_SECONDS` (default 6): length of each measured run. Below 5 the memory runs send 10,000 requests',
    '  instead of 200,000 (override with `BENCH_MEMORY_REQUESTS`; the first reading is taken after 1/20 of them).',
    '- `BENCH_ROUNDS` (default 3, or 2 below 5 s) and `BENCH_WARMUP_SECONDS` (a quarter of `BENCH_SECONDS`, at most 2).',
    '- `BENCH_PROFILE_DIR=/tmp/prof`: every server child runs with `--cpu-prof` and writes its profiles into',
    "  `/tmp/prof/<child>/` when it stops (the largest file is the main thread's; open it in Chrome DevTools).",
    '- PostgreSQL rows need no DATABASE_URL: the run creates a fresh database of its own on PostgreSQL at',
    '  127.0.0.1:5432 (trust authentication for the `postgres` user), points its server at it and drops it at the end.',
    '  Without such a server those rows are skipped with a note.',
    '- Profiles: `BENCH_PROFILE_DIR=/tmp/prof BENCH_ONLY=c-sqlite-get-todos npm run bench`, then',
    '  `npx tsx scripts/bench/profile-top.ts /tmp/prof/app-sqlite` prints the top self-time frames as a table. The',
    '  "CPU profiles" section above is written by hand between its markers and kept by every run.',
    '- Everything stays on 127.0.0.1; every run stops by itself, and the server processes are killed at the end, also',
    '  on failure or Ctrl-C. Close other heavy work first: the figures are only comparable within one run.',
    '',
  );
  return out.join('\n');
}
