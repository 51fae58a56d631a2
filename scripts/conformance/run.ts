/**
 * `npm run conformance`: runs the server scenarios of the official MCP conformance suite against
 * this server, prints a summary and writes docs/conformance.md. See that page, "How the run works".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBaseline } from './baseline.js';
import { checkRoutes } from './preflight.js';
import { consoleLines, isUnexpected, judge, markdown, type Row } from './report.js';
import { listServerScenarios, runScenario, type ScenarioInfo } from './scenarios.js';
import { startTarget, type Target } from './target.js';
import { startTokenProxy, type TokenProxy } from './token-proxy.js';
import { CACHE_DIR, ensureToolchain } from './toolchain.js';

const DOC = fileURLToPath(new URL('../../docs/conformance.md', import.meta.url));
const RESULTS_DIR = join(CACHE_DIR, 'results');
const SCENARIO_TIMEOUT_MS = 60_000;
const PARALLEL = 4;
/** A backstop above every step's own limit, so that CI never waits on a stuck run. */
const RUN_TIMEOUT_MS = 10 * 60_000;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the input order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function main(): Promise<number> {
  const started = performance.now();
  const toolchain = ensureToolchain(say);
  say(`conformance suite ${toolchain.packageVersion} on Node ${toolchain.nodeVersion}`);
  const scenarios: ScenarioInfo[] = listServerScenarios(toolchain);
  const baseline = readBaseline(scenarios);

  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), 'todo-conformance-'));
  let target: Target | undefined;
  let proxy: TokenProxy | undefined;
  let rows: Row[];
  let capabilities: readonly string[];
  try {
    target = await startTarget(workDir, join(RESULTS_DIR, 'server.log'));
    proxy = await startTokenProxy(target.listenOrigin, target.token);
    const url = `${proxy.origin}/mcp`;
    say(`server ${target.mcpUrl} (embedded authorization server), signed in as admin; suite → ${url}`);
    const preflight = await checkRoutes(target.mcpUrl, url);
    if (preflight.problems.length > 0) {
      for (const problem of preflight.problems) say(`preflight: ${problem}`);
      return 1;
    }
    capabilities = preflight.capabilities;
    say(`the server declares: ${capabilities.join(', ')}`);
    say(`running ${scenarios.length} server scenarios, ${PARALLEL} at a time`);
    const runs = await inPool(scenarios, PARALLEL, (scenario) =>
      runScenario(toolchain, scenario, url, RESULTS_DIR, SCENARIO_TIMEOUT_MS),
    );
    if (proxy.forwarded() === 0) {
      say('no request reached the token proxy: the suite did not run against this server');
      return 1;
    }
    rows = runs.map((run) => judge(run, baseline));
  } finally {
    await proxy?.close();
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  }

  const report = {
    date: new Date(),
    packageVersion: toolchain.packageVersion,
    suiteNode: toolchain.nodeVersion,
    serverNode: process.version,
    capabilities,
    durationMs: performance.now() - started,
    rows,
  };
  say();
  for (const line of consoleLines(report)) say(line);
  const unexpected = rows.filter(isUnexpected);
  for (const row of unexpected) {
    say(`\n--- ${row.run.scenario.name}: suite output ---\n${row.run.output.trim()}`);
  }
  writeFileSync(DOC, markdown(report));
  say(`\nwrote ${DOC}; results and server log in ${RESULTS_DIR}`);
  return unexpected.length === 0 ? 0 : 1;
}

setTimeout(() => {
  say(`conformance run exceeded ${RUN_TIMEOUT_MS / 60_000} minutes; stopping`);
  process.exit(1);
}, RUN_TIMEOUT_MS).unref();

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`conformance run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
