import { UnitFilter, alertMatches } from './alert-match';

const alert = { area: 'public-order', severity: 'P2', zone: 'BZ-03', widened: false };

describe(alertMatches.name, () => {
  it('matches a subscription whose every list admits the alert, an empty list admitting anything', () => {
    const filter: UnitFilter = {
      subscriptions: [{ areas: ['public-order'], severities: [], zones: ['BZ-03', 'BZ-04'] }],
      dutyZones: new Set(),
    };
    expect(alertMatches(filter, alert)).toBe(true);
    expect(alertMatches(filter, { ...alert, zone: 'BZ-05' })).toBe(false);
    expect(alertMatches(filter, { ...alert, area: 'joint-duty' })).toBe(false);
  });

  it('needs one subscription to admit area, severity and zone together', () => {
    const filter: UnitFilter = {
      subscriptions: [
        { areas: ['public-order'], severities: ['P1'], zones: [] },
        { areas: ['joint-duty'], severities: ['P2'], zones: [] },
      ],
      dutyZones: new Set(),
    };
    expect(alertMatches(filter, alert)).toBe(false);
  });

  it('matches every alert in a zone the unit is on duty for', () => {
    expect(alertMatches({ subscriptions: [], dutyZones: new Set(['BZ-03']) }, alert)).toBe(true);
    expect(alertMatches({ subscriptions: [], dutyZones: new Set(['BZ-01']) }, alert)).toBe(false);
  });

  it('matches a widened alert for a unit with no subscription at all', () => {
    expect(alertMatches({ subscriptions: [], dutyZones: new Set() }, { ...alert, widened: true })).toBe(true);
  });
});
