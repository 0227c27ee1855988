// A V8 CPU profile of one stretch of a bench (a measured run, not the start-up or the warm-up),
// written as a .cpuprofile file that Chrome DevTools opens and bench/profile-summary.ts sums up.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

/** Sampling interval in microseconds: 2,000 samples a second is enough detail for a few seconds' run. */
const INTERVAL_US = 500;

/** Runs fn; when `dir` is set, profiles it into `<dir>/<name>.cpuprofile`. */
export async function profiled<T>(dir: string | undefined, name: string, fn: () => Promise<T>): Promise<T> {
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
    await session.post('Profiler.start');
    const result = await fn();
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return result;
  } finally {
    session.disconnect();
  }
}
