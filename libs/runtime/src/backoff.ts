export interface BackoffPolicy {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/**
 * The delay before retry number `attempt` (1, 2, …): exponential from `baseMs`, capped at `maxMs`, half of it
 * fixed and half random ("equal jitter"), so that instances that failed together do not retry in step, and a
 * delay never falls below half its cap. The only back-off formula of the code base.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const cap = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
