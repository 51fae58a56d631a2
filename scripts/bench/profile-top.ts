/**
 * `tsx scripts/bench/profile-top.ts <dir or .cpuprofile> [count]`: the functions that took the most
 * CPU time themselves (self time) in a V8 CPU profile, such as the server children write under
 * `BENCH_PROFILE_DIR`, as Markdown table rows. Given a folder it reads its largest profile, the
 * main thread's. Idle time, GC and the program counter outside JavaScript are listed as V8 names
 * them: `(idle)`, `(garbage collector)`, `(program)`. Samples taken inside the bench's own code
 * (scripts/bench/: seeding the database before the server starts) are left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function largestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
  const [largest] = files.sort((a, b) => statSync(b).size - statSync(a).size);
  if (largest === undefined) throw new Error(`no .cpuprofile under ${path}`);
  return largest;
}

function where(frame: ProfileNode['callFrame']): string {
  if (frame.url === '') return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.includes('node_modules/')
    ? url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length)
    : relative(process.cwd(), url).replace(/^(\.\.\/)+/, '');
  return `${short}:${frame.lineNumber + 1}`;
}

const file = largestProfile(process.argv[2] ?? '.');
const count = Number(process.argv[3] ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const isHarness = (id: number): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    if (byNode.get(at)?.callFrame.url.includes('/scripts/bench/')) return true;
  }
  return false;
};
const self = new Map<string, number>();
let total = 0;
for (const [i, id] of profile.samples.entries()) {
  const node = byNode.get(id);
  const delta = profile.timeDeltas[i] ?? 0;
  if (node === undefined || isHarness(id)) continue;
  const key = `${node.callFrame.functionName || '(anonymous)'}\t${where(node.callFrame)}`;
  self.set(key, (self.get(key) ?? 0) + delta);
  total += delta;
}
const idle = [...self].filter(([key]) => key.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);
process.stdout.write(
  `<!-- ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle -->\n`,
);
process.stdout.write('| self % of busy | function | where |\n|--:|---|---|\n');
const busy = total - idle;
for (const [key, us] of [...self]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, count)) {
  const [name, at] = key.split('\t');
  process.stdout.write(`| ${((us / busy) * 100).toFixed(1)} | \`${name}\` | ${at ? `\`${at}\`` : ''} |\n`);
}
