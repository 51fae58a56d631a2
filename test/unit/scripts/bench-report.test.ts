import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptProfiles, markdown } from '../../../scripts/bench/report.js';
import type { BenchReport, ScenarioResult } from '../../../scripts/bench/results.js';
import { readSettings } from '../../../scripts/bench/settings.js';
import { evaluateIssue15Targets } from '../../../scripts/bench/targets-issue-15.js';

function row(key: string, requestsPerSecond: number, p99: number): ScenarioResult {
  const run = { responses: 1, seconds: 1, requestsPerSecond, p50: p99 / 2, p99, failures: 0 };
  return {
    scenario: { key, label: key, series: 'c', child: 'x', offered: 'y' },
    runs: [run],
    requestsPerSecond,
    p50: p99 / 2,
    p99,
    failures: 0,
  };
}

const report: BenchReport = {
  startedAt: new Date('2026-12-05T00:00:00Z'),
  elapsedSeconds: 60,
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, node: 'v20', loadAverage: [0, 0, 0] },
  loadAverageAtEnd: [0, 0, 0],
  settings: readSettings({}),
  results: [
    row('b', 1000, 10),
    row('c-sqlite-get-todos', 6000, 5),
    row('c-sqlite-whoami', 10000, 4),
    row('c-sqlite-create-delete-light', 3000, 6),
    row('c-sqlite-create-delete-heavy', 2000, 12),
  ],
  memory: [],
  notes: [],
};

test('bench report: the issue 15 targets are ratios of measured rows, never assumed met', () => {
  const targets = evaluateIssue15Targets(report);
  const byStart = (text: string) => targets.find((t) => t.target.startsWith(text));
  assert.equal(byStart('SQLite get-todos (user')?.met, true, '6x the floor');
  assert.equal(byStart('SQLite get-todos vs whoami')?.met, false, '0.6x whoami');
  assert.equal(byStart('SQLite create-todo flat')?.met, false, '0.67x');
  assert.equal(byStart('PostgreSQL get-todos')?.met, undefined, 'rows not measured');
  assert.equal(byStart('p99 of each row')?.met, false, 'rows missing and one over the floor');
});

test('bench report: the hand-written profile section is carried over into the next report', () => {
  const kept =
    '<!-- profiles:start (hand-written; npm run bench keeps this section as it is) -->\n## CPU profiles\nkept\n<!-- profiles:end -->';
  assert.equal(keptProfiles(`# Benchmarks\n\n${kept}\n\n## How to run\n`), kept);
  assert.equal(keptProfiles('# Benchmarks without one'), undefined);
  const written = markdown(report, [], { issue15: evaluateIssue15Targets(report), profiles: kept });
  assert.ok(written.includes(kept));
  assert.ok(written.includes('## Targets (issue 15)'));
  assert.equal(keptProfiles(written), kept, 'and again the run after');
  assert.ok(!written.includes('need a `postgres://` DATABASE_URL'));
});
