/**
 * The simulator's notion of "now" for everything that judges validity: token and certificate expiry,
 * creation timestamps, ages in tables. Delays (shoot operations, injected latency) deliberately use the
 * real event loop instead, so a test can jump hours ahead without making shoots finish early.
 */
export interface SimulatorClock {
  now(): Date;
}

export const systemClock: SimulatorClock = { now: () => new Date() };

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
