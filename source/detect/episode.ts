/**
 * One alert per condition episode: the first active observation fires; while the condition lasts,
 * it fires again only every `realertMs`; the episode ends after `clearMs` of calm, so the next
 * storm is a new episode. A sustained storm is one alert a minute, not ten thousand.
 */
export class Episode {
  private active = false;
  private lastAlertAt = 0;
  private calmSince: number | undefined;

  constructor(
    private readonly realertMs: number,
    private readonly clearMs: number,
  ) {}

  /** True when an alert should be emitted now. */
  observe(conditionHolds: boolean, now: number): boolean {
    if (conditionHolds) {
      this.calmSince = undefined;
      if (!this.active || now - this.lastAlertAt >= this.realertMs) {
        this.active = true;
        this.lastAlertAt = now;
        return true;
      }
      return false;
    }
    if (this.active) {
      this.calmSince ??= now;
      if (now - this.calmSince >= this.clearMs) this.active = false;
    }
    return false;
  }

  get inEpisode(): boolean {
    return this.active;
  }
}
