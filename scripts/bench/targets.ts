import { type BenchReport, findResult, type MemoryResult, type ScenarioResult } from './results.js';

/** A target of issue 7 and whether this run met it; `met` is undefined when it was not measured. */
export interface TargetOutcome {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const trusted = (...rows: (ScenarioResult | undefined)[]): boolean =>
  rows.every((r) => r !== undefined && r.failures === 0 && r.runs.length > 0);

/** Computes every target from the measured figures; nothing here is ever hard-coded as met. */
export function evaluateTargets(report: BenchReport): TargetOutcome[] {
  return [throughputTarget(report), ...deepPageTargets(report), ...memoryTargets(report)];
}

function throughputTarget(report: BenchReport): TargetOutcome {
  const sdk = findResult(report, 'b');
  const app = findResult(report, 'c-sqlite-get-todos');
  const target = "(c) authenticated get-todos on SQLite: >= 1.5x (b)'s throughput, p99 no worse than (b)'s";
  if (!trusted(sdk, app))
    return { target, measured: 'not measured (missing rows or failed responses)', met: undefined };
  const [b, c] = [sdk, app] as [ScenarioResult, ScenarioResult];
  const ratio = c.requestsPerSecond / b.requestsPerSecond;
  return {
    target,
    measured: `${fmt(ratio)}x throughput; p99 ${fmt(c.p99)} ms vs ${fmt(b.p99)} ms`,
    met: ratio >= 1.5 && c.p99 <= b.p99,
  };
}

function deepPageTargets(report: BenchReport): TargetOutcome[] {
  return (['admin', 'user'] as const).map((who) => {
    const small = findResult(report, `d-1k-${who}-deep`);
    const large = findResult(report, `d-1m-${who}-deep`);
    const target = `(d) ${who} deep page: p50 latency at 1,000,000 todos within 1.5x of at 1,000`;
    if (!trusted(small, large)) {
      return { target, measured: 'not measured (missing rows or failed responses)', met: undefined };
    }
    const [s, l] = [small, large] as [ScenarioResult, ScenarioResult];
    const ratio = l.p50 / s.p50;
    return {
      target,
      measured: `${fmt(ratio)}x (p50 ${fmt(l.p50)} ms vs ${fmt(s.p50)} ms; p99 ${fmt(l.p99)} vs ${fmt(s.p99)} ms)`,
      met: ratio <= 1.5,
    };
  });
}

function memoryTargets(report: BenchReport): TargetOutcome[] {
  const { memory, settings } = report;
  const [few, many] = [settings.memoryEarlyRequests, settings.memoryRequests].map((n) =>
    n.toLocaleString('en'),
  );
  const app = memory.find((m) => m.series === 'c' && m.nodeFlags.length === 0);
  const sdk = memory.find((m) => m.series === 'b' && m.nodeFlags.length === 0);
  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MiB`;
  const early = app?.checkpoints[0];
  const late = app?.checkpoints.at(-1);
  const sdkLate = sdk?.checkpoints.at(-1);
  const growthTarget = `(e) RSS of (c) after ${many} get-todos within 10% of after ${few}`;
  const belowTarget = `(e) RSS of (c) after ${many} requests below (b)'s after ${many}`;
  const usable = (m: MemoryResult | undefined) =>
    m !== undefined && m.failures === 0 && m.checkpoints.length > 0;
  const outcomes: TargetOutcome[] = [];
  if (usable(app) && early !== undefined && late !== undefined && late !== early) {
    const growth = late.rssBytes / early.rssBytes - 1;
    outcomes.push({
      target: growthTarget,
      measured: `${mib(early.rssBytes)} after ${early.requests.toLocaleString('en')} -> ${mib(late.rssBytes)} after ${late.requests.toLocaleString('en')} (${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)}%)`,
      met: Math.abs(growth) <= 0.1,
    });
  } else {
    outcomes.push({ target: growthTarget, measured: 'not measured', met: undefined });
  }
  if (usable(app) && usable(sdk) && late !== undefined && sdkLate !== undefined) {
    outcomes.push({
      target: belowTarget,
      measured: `${mib(late.rssBytes)} (c) after ${late.requests.toLocaleString('en')} vs ${mib(sdkLate.rssBytes)} (b) after ${sdkLate.requests.toLocaleString('en')}`,
      met: late.rssBytes < sdkLate.rssBytes,
    });
  } else {
    outcomes.push({ target: belowTarget, measured: 'not measured', met: undefined });
  }
  return outcomes;
}
