import { randomUUID } from 'node:crypto';
import { DemoOptions } from './demo-client';
import { demoContext } from './demo-context';
import { DemoReport, runSteps } from './demo-runner';
import { auditVerifiedStep } from './steps/audit-verified';
import { benefitClaimedStep } from './steps/benefit-claimed';
import { consentGivenStep } from './steps/consent-given';
import { jointDutyAlertStep } from './steps/joint-duty-alert';
import { ledgerSettledStep } from './steps/ledger-settled';
import { labSetupStep } from './steps/lab-setup';
import { licenceIssuedStep } from './steps/licence-issued';
import { recordReadStep } from './steps/record-read';
import { recordsPublishedStep } from './steps/records-published';
import { resultsReusedStep } from './steps/results-reused';
import { stackStep } from './steps/stack';
import { talentCertifiedStep } from './steps/talent-certified';

/**
 * The demo scenario, through the public HTTP APIs only: a Laixi hospital publishes records and lab reports, the
 * patient consents, a Laiyang doctor reads them and reuses results, a talent certified in Laiyang claims a benefit
 * in Laixi, a Laixi police unit raises a joint-duty alert that a Laiyang unit acknowledges, an enterprise registered in
 * Laixi files at Laiyang's joint window for a licence Laixi issues and Laiyang verifies, a co-built project's quarter
 * is declared in Laiyang, split 6:4, confirmed in Laixi and settled, and both ledgers agree. One file per step in
 * steps/, played in this order.
 */
export function runDemo(
  options: DemoOptions,
  cities: { a: string; b: string } = { a: 'laixi', b: 'laiyang' },
): Promise<DemoReport> {
  const demo = demoContext(options, cities.a, cities.b, randomUUID().slice(0, 8));
  const steps = [
    stackStep,
    labSetupStep,
    recordsPublishedStep,
    consentGivenStep,
    recordReadStep,
    resultsReusedStep,
    talentCertifiedStep,
    benefitClaimedStep,
    jointDutyAlertStep,
    licenceIssuedStep,
    ledgerSettledStep,
    auditVerifiedStep,
  ].map((step) => step(demo));
  return runSteps(options, steps, {});
}
