/**
 * `npm run conformance`: measures this server with the official MCP conformance suite (the
 * requirement sets of 2025-11-25 and 2026-07-28, and the authorization server scenarios), judges
 * every check against baseline.json, prints a summary and writes docs/conformance.md. See that
 * page, "How the run works".
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listAuthorizationScenarios, runAuthorization } from './authorization.js';
import { readBaseline } from './baseline.js';
import { markdown } from './doc.js';
import { checkRoutes } from './preflight.js';
import { consoleLines, type Report, type SetReport, unexpected } from './report.js';
import { listRequirementSet, REVISIONS, runRequirementSet } from './requirements.js';
import type { ScenarioName, SetRun } from './results.js';
import { startTarget, type Target } from './target.js';
import { startTokenProxy, type TokenProxy } from './token-proxy.js';
import { CACHE_DIR, ensureToolchain, type Toolchain } from './toolchain.js';
import { judge } from './verdict.js';

const DOC = fileURLToPath(new URL('../../docs/conformance.md', import.meta.url));
const RESULTS_DIR = join(CACHE_DIR, 'results');
/** A backstop above every step's own limit (an install included), so that CI never waits on a stuck run. */
const RUN_TIMEOUT_MS = 10 * 60_000;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Starts the server and the token proxy, checks the routes, runs every set, and stops them all. */
async function runSets(
  toolchain: Toolchain,
  sets: ReadonlyMap<string, readonly ScenarioName[]>,
): Promise<{ runs: SetRun[]; capabilities: Readonly<Record<string, unknown>> } | undefined> {
  const workDir = mkdtempSync(join(tmpdir(), 'todo-conformance-'));
  let target: Target | undefined;
  let proxy: TokenProxy | undefined;
  try {
    target = await startTarget(workDir, join(RESULTS_DIR, 'server.log'));
    proxy = await startTokenProxy(target.listenOrigin, target.token);
    const url = `${proxy.origin}/mcp`;
    say(`server ${target.mcpUrl} (embedded authorization server), signed in as admin; suite → ${url}`);
    const preflight = await checkRoutes(target.mcpUrl, url);
    for (const problem of preflight.problems) say(`preflight: ${problem}`);
    if (preflight.problems.length > 0) return undefined;
    say(`the server declares ${JSON.stringify(preflight.capabilities)}`);
    const runs: SetRun[] = [];
    for (const revision of REVISIONS) {
      say(`running server --requirements ${revision}`);
      runs.push(await runRequirementSet(toolchain, revision, sets.get(revision) ?? [], url, RESULTS_DIR));
    }
    if (proxy.forwarded() === 0) {
      say('no request reached the token proxy: the suite did not run against this server');
      return undefined;
    }
    say(`running authorization against ${target.issuer}`);
    const authorization = { issuer: target.issuer, resource: target.mcpUrl, account: target.account };
    runs.push(await runAuthorization(toolchain, authorization, sets.get('authorization') ?? [], RESULTS_DIR));
    return { runs, capabilities: preflight.capabilities };
  } finally {
    await proxy?.close();
    await target?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const toolchain = ensureToolchain(say);
  say(`conformance suite ${toolchain.packageVersion} on Node ${toolchain.nodeVersion}`);
  const sets = new Map<string, readonly ScenarioName[]>();
  for (const revision of REVISIONS) sets.set(revision, await listRequirementSet(toolchain, revision));
  sets.set('authorization', await listAuthorizationScenarios(toolchain));
  const baseline = readBaseline(sets);

  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const measured = await runSets(toolchain, sets);
  if (measured === undefined) return 1;
  const reports: SetReport[] = measured.runs.map((run) => {
    writeFileSync(join(RESULTS_DIR, `${run.set}.log`), run.output);
    return { run, judgement: judge(run.scenarios, baseline.get(run.set) ?? []) };
  });
  const report: Report = {
    date: new Date(),
    packageVersion: toolchain.packageVersion,
    suiteNode: toolchain.nodeVersion,
    serverNode: process.version,
    capabilities: measured.capabilities,
    durationMs: performance.now() - started,
    sets: reports,
  };
  say();
  for (const line of consoleLines(report)) say(line);
  writeFileSync(DOC, markdown(report));
  say(`\nwrote ${DOC}; results, suite output and server log in ${RESULTS_DIR}`);
  const failures = reports.flatMap(unexpected).length;
  say(
    failures === 0 ? 'conformance: as expected' : `conformance: ${failures} unexpected result(s), see above`,
  );
  return failures === 0 ? 0 : 1;
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
