import { AlertStateV1 } from '@app/contracts';
import { PoliceCatalogue } from '../catalogue/police-catalogue';
import { escalate, escalationDueAt } from './escalation.rules';

const catalogue = new PoliceCatalogue({
  areas: [{ code: 'public-order', label: 'Public order' }],
  severities: [
    { code: 'P1', label: 'Immediate', ackDeadlineSeconds: 120, escalation: { widenAudience: true } },
    { code: 'P2', label: 'Urgent', ackDeadlineSeconds: 600, escalation: { raiseTo: 'P1' } },
  ],
  zones: [{ code: 'BZ-01', label: 'Zone 1' }],
});

const state: AlertStateV1 = {
  alertId: '0f5c1a52-5b8e-4d8e-9a57-0c1c0b0e7a11',
  version: 3,
  status: 'ACTIVE',
  area: 'public-order',
  severity: 'P2',
  location: { lat: 36.9, lon: 120.5, zone: 'BZ-01' },
  description: 'Crowd gathering at the bridge',
  actionRequested: 'Send a patrol',
  expiresAt: '2026-01-01T12:00:00.000Z',
  raisedBy: 'laixi-unit-1',
  raisedAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
  personPseudonyms: [],
};

describe('escalation rules', () => {
  it("falls due the severity's acknowledgement deadline after the alert was raised", () => {
    expect(escalationDueAt(catalogue, 'P2', state.raisedAt).toISOString()).toBe('2026-01-01T10:10:00.000Z');
  });

  it('raises the severity as configured, as a new version', () => {
    const at = new Date('2026-01-01T10:10:01.000Z');
    expect(escalate(catalogue, state, at)).toEqual({
      ...state,
      version: 4,
      severity: 'P1',
      escalation: { at: at.toISOString(), fromSeverity: 'P2', widened: false },
      updatedAt: at.toISOString(),
    });
  });

  it('widens the audience of the most severe alerts, keeping their severity', () => {
    const escalated = escalate(catalogue, { ...state, severity: 'P1' }, new Date('2026-01-01T10:02:01.000Z'));
    expect(escalated.severity).toBe('P1');
    expect(escalated.escalation).toMatchObject({ fromSeverity: 'P1', widened: true });
  });

  it('refuses a catalogue whose escalation names an unknown severity', () => {
    expect(
      () =>
        new PoliceCatalogue({
          ...catalogue.file,
          severities: [{ code: 'P2', label: 'Urgent', ackDeadlineSeconds: 60, escalation: { raiseTo: 'P0' } }],
        }),
    ).toThrow('severity P2 escalates to unknown severity P0');
  });
});
