/** A clock tests move by hand, so max-age and expiry are tested without sleeping. */
export class FakeClock {
  constructor(private current = Date.parse("2026-11-21T09:00:00.000Z")) {}

  readonly now = (): number => this.current;

  advance(ms: number): void {
    this.current += ms;
  }
}
