import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, type Toolchain } from './toolchain.js';

export interface ScenarioInfo {
  readonly name: string;
  /** The spec revisions the suite files the scenario under. */
  readonly specVersions: readonly string[];
}

/** One check as the suite writes it to `checks.json`. */
export interface Check {
  readonly id: string;
  readonly name?: string;
  readonly status: string;
  readonly errorMessage?: string;
  readonly details?: Record<string, unknown>;
}

export interface ScenarioRun {
  readonly scenario: ScenarioInfo;
  readonly url: string;
  readonly checks: readonly Check[];
  readonly timedOut: boolean;
  readonly exitCode: number | null;
  /** What the suite printed, for the console when a scenario fails unexpectedly. */
  readonly output: string;
  readonly durationMs: number;
}

/** Every server scenario of the installed suite, from its own `list --server`. */
export function listServerScenarios(toolchain: Toolchain): ScenarioInfo[] {
  const out = execFileSync(toolchain.node, [toolchain.cli, 'list', '--server'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const scenarios: ScenarioInfo[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s+-\s+(\S+)(?:\s+\[([^\]]*)\])?\s*$/.exec(line);
    if (match?.[1] === undefined) continue;
    scenarios.push({ name: match[1], specVersions: (match[2] ?? '').split(',').filter(Boolean) });
  }
  if (scenarios.length === 0) throw new Error(`the suite listed no server scenarios:\n${out}`);
  return scenarios;
}

function readChecks(dir: string): Check[] {
  // The suite writes `<dir>/server-<scenario>-<timestamp>/checks.json`.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const parsed: unknown = JSON.parse(readFileSync(join(dir, entry.name, 'checks.json'), 'utf8'));
    if (Array.isArray(parsed)) return parsed as Check[];
  }
  return [];
}

/** Runs one scenario with the suite's CLI under Node 22, killing it after `timeoutMs`. */
export async function runScenario(
  toolchain: Toolchain,
  scenario: ScenarioInfo,
  url: string,
  resultsDir: string,
  timeoutMs: number,
): Promise<ScenarioRun> {
  const dir = join(resultsDir, scenario.name);
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const { code, timedOut, output } = await new Promise<{
    code: number | null;
    timedOut: boolean;
    output: string;
  }>((resolve) => {
    execFile(
      toolchain.node,
      [toolchain.cli, 'server', '--url', url, '--scenario', scenario.name, '--output-dir', dir],
      {
        cwd: CACHE_DIR,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) return resolve({ code: 0, timedOut: false, output });
        const killed = error.killed === true && error.signal === 'SIGKILL';
        resolve({ code: typeof error.code === 'number' ? error.code : null, timedOut: killed, output });
      },
    );
  });
  let checks: Check[] = [];
  try {
    checks = readChecks(dir);
  } catch {
    // No results file: the scenario crashed or was killed; the verdict says so.
  }
  return {
    scenario,
    url,
    checks,
    timedOut,
    exitCode: code,
    output,
    durationMs: performance.now() - started,
  };
}

/**
 * A scenario passes when the suite ran it to the end, at least one check succeeded and none
 * failed. Warnings alone are not a pass: they mean the suite could not test anything.
 */
export function hasPassed(run: ScenarioRun): boolean {
  return (
    !run.timedOut &&
    run.exitCode === 0 &&
    run.checks.some((check) => check.status === 'SUCCESS') &&
    run.checks.every((check) => check.status !== 'FAILURE')
  );
}
