/** The harness's knobs, read once from the environment. */
export interface Settings {
  /** Seconds of each measured run. */
  readonly seconds: number;
  /** Seconds of load before a scenario's first measured run; later rounds get a short top-up. */
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Authenticated requests after which memory is read the second time (200,000 in a full run). */
  readonly memoryRequests: number;
  /** ... and the first time (10,000 in a full run). */
  readonly memoryEarlyRequests: number;
  /** A memory run stops after this long even if it has not sent all its requests. */
  readonly memoryMaxSeconds: number;
  readonly scaleTodos: number;
  readonly scaleUsers: number;
  readonly smallTodos: number;
  readonly smallUsers: number;
  /** Where the server children write CPU profiles (`--cpu-prof`), if anywhere. */
  readonly profileDir: string | undefined;
  /**
   * Only these scenarios (by key), for a quick look at a few rows: then the memory runs are
   * skipped and docs/benchmarks.md is not written, since the report would be incomplete.
   */
  readonly only: ReadonlySet<string> | undefined;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

/**
 * `BENCH_SECONDS` (default 6) sets the length of each measurement; a short value makes a quick
 * smoke run, with fewer requests in the memory runs and 2 rounds. `BENCH_ROUNDS` (default 3),
 * `BENCH_WARMUP_SECONDS` and `BENCH_MEMORY_REQUESTS` override the rest; `BENCH_PROFILE_DIR` makes
 * every server child write a CPU profile there; `BENCH_ONLY=c-sqlite-get-todos,c-sqlite-get-todos-dpop`
 * measures only those scenarios.
 */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const seconds = positive(env, 'BENCH_SECONDS', 6);
  const isFull = seconds >= 5;
  const memoryRequests = Math.round(positive(env, 'BENCH_MEMORY_REQUESTS', isFull ? 200_000 : 10_000));
  return {
    seconds,
    warmupSeconds: positive(env, 'BENCH_WARMUP_SECONDS', Math.min(2, Math.max(0.5, seconds / 4))),
    rounds: Math.round(positive(env, 'BENCH_ROUNDS', isFull ? 3 : 2)),
    memoryRequests,
    memoryEarlyRequests: Math.max(1, Math.round(memoryRequests / 20)),
    memoryMaxSeconds: isFull ? 200 : 60,
    scaleTodos: 1_000_000,
    scaleUsers: 10_000,
    smallTodos: 1_000,
    smallUsers: 10,
    profileDir: env.BENCH_PROFILE_DIR?.trim() || undefined,
    only: env.BENCH_ONLY?.trim() ? new Set(env.BENCH_ONLY.split(',').map((key) => key.trim())) : undefined,
  };
}
