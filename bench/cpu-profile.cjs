// Diagnosis preload: `NODE_OPTIONS="--require ./bench/cpu-profile.cjs"` (or BENCH_NODE_OPTIONS for the
// benchmarks' node) samples the process's CPU from start to SIGTERM/SIGINT or exit and writes a
// .cpuprofile (Chrome DevTools, speedscope) to CPU_PROFILE_DIR (default: the OS temp directory).
// `--cpu-prof` itself is not allowed in NODE_OPTIONS.
const inspector = require('node:inspector');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () =>
  session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
);

let written = false;
function write(then) {
  if (written) return then();
  written = true;
  session.post('Profiler.stop', (error, result) => {
    if (!error) {
      const file = path.join(process.env.CPU_PROFILE_DIR || os.tmpdir(), `node-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(result.profile));
      process.stderr.write(`cpu profile written to ${file}\n`);
    }
    then();
  });
}
for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2]]) {
  // The program's own handler (the node's graceful shutdown) still runs; without one, exit as the signal would.
  process.once(signal, () => write(() => process.listenerCount(signal) === 0 && process.exit(128 + number)));
}
process.once('beforeExit', () => write(() => undefined));
