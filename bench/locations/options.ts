export interface Options {
  n: number;
  db: string;
  writers: number;
  embedded: number;
  duration: number;
  connections: number;
  rounds: number;
  syncRuns: number;
  samples: number;
  pageSize: number;
  logLevel: string;
  cpuProf: string | undefined;
  build: boolean;
  doc: boolean;
  timeout: number;
  /** How the run was asked for, for the report. */
  command: string;
}

/** Which benchmark parses its options: its npm script, default database and the flags it takes. */
export interface BenchSpec {
  script: string;
  db: string;
  flags: readonly string[];
}

export const LOCATIONS_BENCH: BenchSpec = {
  script: 'bench:locations',
  db: 'postgresql://postgres@127.0.0.1:5432/ocpi_bench',
  flags: ['n', 'db', 'writers', 'embedded', 'duration', 'connections', 'rounds', 'sync-runs', 'samples', 'page-size', 'log-level', 'cpu-prof', 'no-build', 'no-doc', 'timeout'],
};

/** The options listed at the top of the benchmark's run.ts (bench/locations by default), from argv or the environment. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv, cpuProfDir: (dir: string) => string, bench: BenchSpec = LOCATIONS_BENCH): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'no-build' || name === 'no-doc') flags.set(name, true);
    else if (inline !== undefined) flags.set(name, inline);
    else if (i + 1 < argv.length) flags.set(name, argv[++i]!);
    else throw new Error(`--${name} needs a value`);
  }
  for (const name of flags.keys()) if (!bench.flags.includes(name)) throw new Error(`unknown option --${name}`);
  const envPrefix: string[] = [];
  const pick = (flag: string, envName: string, fallback: string): string => {
    const fromFlag = flags.get(flag);
    if (typeof fromFlag === 'string') return fromFlag;
    const fromEnv = env[envName];
    if (fromEnv) {
      envPrefix.push(`${envName}=${fromEnv}`);
      return fromEnv;
    }
    return fallback;
  };
  const int = (flag: string, envName: string, fallback: number, min: number, max: number): number => {
    const value = Number(pick(flag, envName, String(fallback)));
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${flag} must be an integer in ${min}..${max}`);
    return value;
  };
  const n = int('n', 'N', 10_000, 10, 2_000_000);
  const cpuProf = flags.get('cpu-prof');
  const options: Options = {
    n,
    db: pick('db', 'BENCH_DATABASE_URL', bench.db),
    writers: int('writers', 'BENCH_WRITERS', 16, 1, 256),
    embedded: int('embedded', 'BENCH_EMBEDDED', 2_000, 0, 100_000),
    duration: int('duration', 'BENCH_DURATION', 10, 1, 300),
    connections: int('connections', 'BENCH_CONNECTIONS', 50, 1, 1000),
    rounds: int('rounds', 'BENCH_ROUNDS', 2, 1, 20),
    syncRuns: int('sync-runs', 'BENCH_SYNC_RUNS', n > 50_000 ? 2 : 3, 1, 20),
    samples: int('samples', 'BENCH_SAMPLES', 30, 5, 1000),
    pageSize: int('page-size', 'BENCH_PAGE_SIZE', 100, 1, 1000),
    logLevel: pick('log-level', 'BENCH_LOG_LEVEL', 'warn'),
    cpuProf: typeof cpuProf === 'string' ? cpuProfDir(cpuProf) : undefined,
    build: !flags.has('no-build'),
    doc: !flags.has('no-doc'),
    timeout: int('timeout', 'BENCH_TIMEOUT', 1800, 10, 7200),
    command: '',
  };
  options.command = `${envPrefix.length > 0 ? `${envPrefix.join(' ')} ` : ''}npm run ${bench.script}${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return options;
}
