/** Time source port: services ask it instead of `new Date()` so expiry tests need no sleeping. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock tests can move: real time plus an adjustable offset, so work scheduled "in 50 ms" still
 * happens while a test jumps hours ahead to expire credentials.
 */
export class ManualClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
