/**
 * The server's one source of "now". In production it is the system clock;
 * elsewhere it can be set (APP_NOW, or POST /api/dev/clock) so demos and
 * end-to-end tests can show a given day.
 */
export interface Clock {
  now(): Date;
}

export class AdjustableClock implements Clock {
  private offsetMs = 0;
  constructor(initial?: string) {
    if (initial) this.set(new Date(initial));
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
  advance(minutes: number): void {
    this.offsetMs += minutes * 60_000;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export const systemClock: Clock = { now: () => new Date() };
