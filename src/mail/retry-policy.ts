// Which send failures are worth retrying, and when. SMTP 5xx answers are final; connection
// trouble, timeouts and 4xx answers pass, so they are retried with growing, jittered delays.
import type { RetrySettings } from '../model/settings';

export type Verdict = { retry: true; at: number } | { retry: false };

export function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Delay before attempt n+1 after n failed ones: exponential from min to max, ±20 % jitter. */
function backoffMs(attempts: number, settings: RetrySettings, random: () => number = Math.random): number {
  const base = Math.min(settings.minDelaySeconds * 2 ** Math.max(0, attempts - 1), settings.maxDelaySeconds) * 1000;
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function verdict(err: unknown, attempts: number, createdAt: number, now: number, settings: RetrySettings): Verdict {
  if (isPermanent(err)) return { retry: false };
  const at = now + backoffMs(attempts, settings);
  if (at - createdAt > settings.giveUpAfterHours * 3_600_000) return { retry: false };
  return { retry: true, at };
}
