import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Entry, EntryKind } from '../../../scripts/conformance/baseline.js';
import { outcomeOf } from '../../../scripts/conformance/report.js';
import { parseRequirementList } from '../../../scripts/conformance/requirements.js';
import type { Check, CheckStatus, ScenarioResult } from '../../../scripts/conformance/results.js';
import { judge } from '../../../scripts/conformance/verdict.js';

const check = (id: string, status: CheckStatus, errorMessage?: string): Check => ({
  id,
  status,
  ...(errorMessage === undefined ? {} : { errorMessage }),
});
const scenario = (name: string, ...checks: Check[]): ScenarioResult => ({ name, checks });
const entry = (key: string, kind: EntryKind = 'not-applicable', extra: Partial<Entry> = {}): Entry => {
  const [name = '', id] = key.split(':');
  return {
    key,
    scenario: name,
    ...(id === undefined ? {} : { check: id }),
    kind,
    reason: 'needs a tool',
    ...extra,
  };
};
const verdicts = (results: ScenarioResult[], entries: Entry[]) =>
  judge(results, entries).rows.map((row) => `${row.scenario}:${row.check} ${row.verdict}`);

describe('conformance verdict, check by check', () => {
  test('an unlisted SUCCESS passes; an unlisted FAILURE or WARNING fails', () => {
    const results = [scenario('s', check('a', 'SUCCESS'), check('b', 'FAILURE'), check('c', 'WARNING'))];
    assert.deepEqual(verdicts(results, []), ['s:a pass', 's:b failed', 's:c failed']);
  });

  test('SKIPPED and INFO are reported with the suite note, neither pass nor failure', () => {
    const { rows } = judge([scenario('s', check('a', 'SKIPPED', 'no prompts'), check('b', 'INFO'))], []);
    assert.deepEqual(
      rows.map((r) => [r.verdict, r.reason]),
      [
        ['skipped-by-suite', 'no prompts'],
        ['skipped-by-suite', 'INFO'],
      ],
    );
    assert.equal(outcomeOf(rows), 'not-applicable');
  });

  test('a listed failure takes the entry kind and reason', () => {
    const results = [scenario('s', check('a', 'FAILURE'), check('b', 'WARNING'))];
    const judged = judge(results, [entry('s:a'), entry('s:b', 'expected-to-change')]);
    assert.deepEqual(
      judged.rows.map((r) => r.verdict),
      ['not-applicable', 'expected-to-change'],
    );
    assert.deepEqual(judged.problems, []);
  });

  test('a listed check that passes or is skipped is stale, and an entry matching nothing is reported', () => {
    const results = [scenario('s', check('a', 'SUCCESS'), check('b', 'SKIPPED'))];
    const judged = judge(results, [entry('s:a', 'expected-to-change'), entry('s:b'), entry('s:gone')]);
    assert.deepEqual(
      judged.rows.map((r) => r.verdict),
      ['stale', 'stale'],
    );
    assert.match(judged.rows[0]?.reason ?? '', /fix has landed/);
    assert.equal(judged.problems.length, 1);
    assert.match(judged.problems[0] ?? '', /s:gone/);
  });

  test('a whole-scenario entry covers every check but wire-schema-*, and is stale where one passes', () => {
    const results = [
      scenario('s', check('a', 'FAILURE'), check('wire-schema-valid', 'SUCCESS')),
      scenario('t', check('a', 'FAILURE'), check('b', 'SUCCESS'), check('wire-schema-valid', 'FAILURE')),
    ];
    assert.deepEqual(verdicts(results, [entry('s'), entry('t')]), [
      's:a not-applicable',
      's:wire-schema-valid pass',
      't:a not-applicable',
      't:b stale',
      't:wire-schema-valid failed',
    ]);
  });

  test('wire-schema-valid alone does not make a scenario pass', () => {
    const { rows } = judge(
      [scenario('s', check('a', 'FAILURE'), check('wire-schema-valid', 'SUCCESS'))],
      [entry('s')],
    );
    assert.equal(outcomeOf(rows), 'not-applicable');
    const own = judge([scenario('s', check('a', 'SUCCESS'), check('wire-schema-valid', 'SUCCESS'))], []);
    assert.equal(outcomeOf(own.rows), 'passes');
  });

  test('a "Not testable" failure is excused only by a reason naming the missing tool', () => {
    const untestable = check(
      'a',
      'FAILURE',
      "Not testable: server does not list the diagnostic tool 'test_x'",
    );
    assert.deepEqual(verdicts([scenario('s', untestable)], [entry('s:a')]), ['s:a failed']);
    const named = entry('s:a', 'not-applicable', { reason: 'needs `test_x`' });
    assert.deepEqual(verdicts([scenario('s', untestable)], [named]), ['s:a not-applicable']);
  });

  test('a pinned message excuses only that failure', () => {
    const pinned = entry('s:a', 'expected-to-change', { message: 'access_denied' });
    assert.deepEqual(verdicts([scenario('s', check('a', 'FAILURE', 'error: access_denied'))], [pinned]), [
      's:a expected-to-change',
    ]);
    assert.deepEqual(verdicts([scenario('s', check('a', 'FAILURE', 'listen EADDRINUSE'))], [pinned]), [
      's:a failed',
    ]);
  });

  test('passes-without-exercising must still pass', () => {
    const hollow = entry('s', 'passes-without-exercising');
    assert.deepEqual(verdicts([scenario('s', check('a', 'SUCCESS'))], [hollow]), [
      's:a passes-without-exercising',
    ]);
    assert.deepEqual(verdicts([scenario('s', check('a', 'WARNING'))], [hollow]), ['s:a failed']);
  });

  test('repeated ids collapse to the worst status; a scenario without results fails', () => {
    const { rows } = judge(
      [scenario('s', check('a', 'SUCCESS'), check('a', 'FAILURE'), check('a', 'SUCCESS')), { name: 't' }],
      [],
    );
    assert.deepEqual(
      rows.map((r) => [r.check, r.status, r.count, r.verdict]),
      [
        ['a', 'FAILURE', 3, 'failed'],
        ['—', 'NO RESULTS', 0, 'failed'],
      ],
    );
  });
});

test('the server scenarios of a requirement set, scored and not', () => {
  const listed = `Required for 2026-07-28 (69 scenarios, frozen; run at the 2026-07-28 wire):

Server scenarios (test against a server):
  - server-stateless
  - tools-list

Client scenarios (test against a client):
  - tools_call

Run and reported, but never scored:
  extension (2):
    - auth/dpop [client]
    - tasks-lifecycle [server]
  pending (1):
    - json-schema-2020-12 [server]
`;
  assert.deepEqual(parseRequirementList(listed), [
    { name: 'server-stateless' },
    { name: 'tools-list' },
    { name: 'tasks-lifecycle', notScored: 'extension' },
    { name: 'json-schema-2020-12', notScored: 'pending' },
  ]);
});
