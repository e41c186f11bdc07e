import { Actor, DemoOptions, syntheticResidentId } from './demo-client';

/** What the steps hand on to the steps after them. */
export interface DemoState {
  certificationId?: string;
  documentId?: string;
  reportId?: string;
  queryId?: string;
  consentedAt?: number;
}

export interface ReuseAnswer {
  code: string;
  reusable: boolean;
  reason: string;
  validityDays?: number;
  result?: { region: string; reportId: string; collectedAt: string; reusableUntil?: string };
}

export const DAY_MS = 86_400_000;

/** The run's two cities, its synthetic people and the actors that call the APIs, shared by every step. */
export interface DemoContext {
  a: string;
  b: string;
  /** The patient, a resident of city a. */
  patient: string;
  /** The talent, a resident of city b. */
  talent: string;
  /** This run's id: makes request ids and report ids unique, so the scenario can be played again. */
  run: string;
  timeoutMs: number;
  label: (region: string) => string;
  /** "Laixi" of "Laixi (莱西, Qingdao)". */
  city: (region: string) => string;
  /** The region's first administrative area code (resident IDs, credit codes registered there). */
  areaCodeOf: (region: string) => string;
  operatorA: Actor;
  operatorB: Actor;
  bureauA: Actor;
  bureauB: Actor;
  hospitalA: Actor;
  hospitalB: Actor;
  unitA: Actor;
  unitB: Actor;
  /** City b's joint window, and city a's case officer of the competent department. */
  clerkB: Actor;
  officerA: Actor;
  financeA: Actor;
  financeB: Actor;
  labId: string;
}

export function demoContext(options: DemoOptions, a: string, b: string, run: string): DemoContext {
  const label = (region: string) => options.registry.get(region).label;
  return {
    a,
    b,
    // New synthetic people on every run, so that the scenario can be played again on the same stack.
    patient: syntheticResidentId(options.registry.get(a).areaCodes[0]),
    talent: syntheticResidentId(options.registry.get(b).areaCodes[0]),
    run,
    timeoutMs: options.timeoutMs ?? 30_000,
    label,
    city: (region) => label(region).split(' (')[0],
    areaCodeOf: (region) => options.registry.get(region).areaCodes[0],
    operatorA: new Actor(options, a, 'operator', `${a}-operations-centre`),
    operatorB: new Actor(options, b, 'operator', `${b}-operations-centre`),
    bureauA: new Actor(options, a, 'hr-bureau', `${a}-hr-bureau`),
    bureauB: new Actor(options, b, 'hr-bureau', `${b}-hr-bureau`),
    hospitalA: new Actor(options, a, 'his', `${a}-peoples-hospital`),
    hospitalB: new Actor(options, b, 'his', `${b}-central-hospital`),
    unitA: new Actor(options, a, 'police-unit', `${a}-patrol-1`),
    unitB: new Actor(options, b, 'police-unit', `${b}-patrol-3`),
    clerkB: new Actor(options, b, 'window-clerk', `${b}-joint-window`),
    officerA: new Actor(options, a, 'case-officer', `${a}-market-supervision`),
    financeA: new Actor(options, a, 'finance-bureau', `${a}-finance-bureau`),
    financeB: new Actor(options, b, 'finance-bureau', `${b}-finance-bureau`),
    labId: `${a.toUpperCase()}-PEOPLES-LAB`.replace(/[^A-Z0-9._-]/g, '-'),
  };
}
