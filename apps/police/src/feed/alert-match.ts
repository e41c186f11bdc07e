export interface SubscriptionFilter {
  /** Empty means any. */
  areas: string[];
  severities: string[];
  zones: string[];
}

/** What a unit receives: its subscriptions, and every alert in a zone it is on duty for. */
export interface UnitFilter {
  subscriptions: SubscriptionFilter[];
  dutyZones: ReadonlySet<string>;
}

export interface MatchableAlert {
  area: string;
  severity: string;
  zone: string;
  /** Escalated with a widened audience: every unit receives it. */
  widened: boolean;
}

export const NO_FILTER: UnitFilter = { subscriptions: [], dutyZones: new Set() };

const admits = (values: string[], value: string) => values.length === 0 || values.includes(value);

export function alertMatches(filter: UnitFilter, alert: MatchableAlert): boolean {
  return (
    alert.widened ||
    filter.dutyZones.has(alert.zone) ||
    filter.subscriptions.some(
      (s) => admits(s.areas, alert.area) && admits(s.severities, alert.severity) && admits(s.zones, alert.zone),
    )
  );
}
