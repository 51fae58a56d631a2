import { join } from 'node:path';
import { readResults, type ScenarioName, type SetRun } from './results.js';
import { listScenarios, startSuite } from './suite-process.js';
import type { Toolchain } from './toolchain.js';

/** The spec revisions whose frozen requirement sets the run measures the server against. */
export const REVISIONS = ['2025-11-25', '2026-07-28'] as const;

/** Per scenario; the suite's default is 30 s, far above what any of them needs here. */
const SCENARIO_TIMEOUT_MS = 15_000;
/** For a whole set: a stuck scenario costs its own limit, a stuck suite no more than this. */
const SET_TIMEOUT_MS = 120_000;

const ITEM = /^\s+-\s+(\S+)(?:\s+\[([^\]]*)\])?\s*$/;
const CATEGORY = /^\s+(\S[^(]*?)\s+\(\d+\):\s*$/;

/**
 * The server scenarios of a requirement set, as `list --requirements` prints them: the scored
 * ones under "Server scenarios", and the `[server]` entries under "never scored", with their reason.
 */
export function parseRequirementList(output: string): ScenarioName[] {
  const names: ScenarioName[] = [];
  let section: 'server' | 'client' | 'not-scored' | undefined;
  let category = '';
  for (const line of output.split('\n')) {
    if (line.startsWith('Server scenarios')) section = 'server';
    else if (line.startsWith('Client scenarios')) section = 'client';
    else if (line.startsWith('Run and reported, but never scored')) section = 'not-scored';
    const item = ITEM.exec(line);
    const heading = CATEGORY.exec(line);
    if (section === 'not-scored' && heading?.[1] !== undefined) category = heading[1];
    if (item?.[1] === undefined) continue;
    if (section === 'server') names.push({ name: item[1] });
    if (section === 'not-scored' && item[2] === 'server') names.push({ name: item[1], notScored: category });
  }
  return names;
}

export async function listRequirementSet(toolchain: Toolchain, revision: string): Promise<ScenarioName[]> {
  const output = await listScenarios(toolchain, ['--server', '--requirements', revision]);
  const names = parseRequirementList(output);
  if (names.length === 0) throw new Error(`the suite listed no server scenarios for ${revision}:\n${output}`);
  return names;
}

/**
 * Runs `server --requirements <revision>`: every scenario of the frozen set, scored or not, at
 * that revision's wire (a stateful `initialize` handshake through 2025-11-25, stateless after).
 * The suite's exit status says only whether a scored scenario failed; the verdict is ours.
 */
export async function runRequirementSet(
  toolchain: Toolchain,
  revision: string,
  names: readonly ScenarioName[],
  url: string,
  resultsDir: string,
): Promise<SetRun> {
  const dir = join(resultsDir, revision);
  const options = ['--requirements', revision, '--timeout', String(SCENARIO_TIMEOUT_MS)];
  const exit = await startSuite(toolchain, ['server', '--url', url, ...options, '-o', dir], SET_TIMEOUT_MS)
    .exited;
  const problems: string[] = [];
  if (exit.timedOut) problems.push(`the suite ran past ${SET_TIMEOUT_MS / 1000} s and was stopped`);
  else if (exit.exitCode !== 0 && exit.exitCode !== 1)
    problems.push(`the suite exited with ${exit.exitCode}`);
  return {
    set: revision,
    command: `conformance server --url <token proxy>/mcp ${options.join(' ')} -o <results>`,
    scenarios: readResults(dir, 'server-', names),
    problems,
    ...exit,
  };
}
