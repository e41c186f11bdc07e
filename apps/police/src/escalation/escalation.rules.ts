import { AlertStateV1 } from '@app/contracts';
import { PoliceCatalogue } from '../catalogue/police-catalogue';

/** When an alert raised at `raisedAt` with `severity` escalates unless a unit of another region acknowledged it. */
export function escalationDueAt(catalogue: PoliceCatalogue, severity: string, raisedAt: string): Date {
  return new Date(Date.parse(raisedAt) + catalogue.severity(severity).ackDeadlineSeconds * 1000);
}

/** The alert after escalation: raised severity and/or widened audience, as its severity's rule says. */
export function escalate(catalogue: PoliceCatalogue, state: AlertStateV1, at: Date): AlertStateV1 {
  const rule = catalogue.severity(state.severity).escalation;
  return {
    ...state,
    version: state.version + 1,
    severity: rule.raiseTo ?? state.severity,
    escalation: { at: at.toISOString(), fromSeverity: state.severity, widened: rule.widenAudience === true },
    updatedAt: at.toISOString(),
  };
}
