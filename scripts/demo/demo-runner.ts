import { ServiceName } from '@app/contracts';
import { DemoFailure, DemoMissing, DemoOptions, endpointsOf } from './demo-client';

/** One step of the scenario: what it needs (checked in the services' OpenAPI documents first) and what it does. */
export interface DemoStep<S> {
  title: string;
  /** `[region, service, 'POST /talent/claims']`: the step is reported missing when an endpoint is not served. */
  needs: [string, ServiceName, string][];
  /** Steps whose results this one builds on. */
  after?: string[];
  run(state: S, say: (line: string) => void): Promise<void>;
}

export type StepOutcome = 'done' | 'failed' | 'missing' | 'skipped';

export interface DemoReport {
  steps: { title: string; outcome: StepOutcome; why?: string }[];
  ok: boolean;
}

/** Runs the steps in order, printing what happens; a failed or missing step skips the steps that build on it. */
export async function runSteps<S>(options: DemoOptions, steps: DemoStep<S>[], state: S): Promise<DemoReport> {
  const endpoints = new Map<string, Promise<Set<string>>>();
  const served = (region: string, service: ServiceName) => {
    const key = `${region}/${service}`;
    if (!endpoints.has(key)) endpoints.set(key, endpointsOf(options, region, service));
    return endpoints.get(key)!;
  };
  const report: DemoReport = { steps: [], ok: true };
  const outcomes = new Map<string, StepOutcome>();

  for (const [i, step] of steps.entries()) {
    options.log(`\n${i + 1}. ${step.title}`);
    const say = (line: string) => options.log(`   ${line}`);
    let outcome: StepOutcome = 'done';
    let why: string | undefined;
    try {
      const blocked = (step.after ?? []).filter((title) => outcomes.get(title) !== 'done');
      if (blocked.length > 0) {
        outcome = 'skipped';
        why = `needs: ${blocked.join('; ')}`;
      } else {
        const absent: string[] = [];
        for (const [region, service, endpoint] of step.needs) {
          if (!(await served(region, service)).has(endpoint)) absent.push(`${region} ${service} ${endpoint}`);
        }
        if (absent.length > 0) throw new DemoMissing(`not served by this build: ${absent.join(', ')}`);
        await step.run(state, say);
      }
    } catch (error) {
      if (error instanceof DemoMissing) outcome = 'missing';
      else outcome = 'failed';
      why = error instanceof DemoFailure || error instanceof DemoMissing ? error.message : String(error);
    }
    if (outcome !== 'done') say(`${outcome.toUpperCase()}: ${why}`);
    outcomes.set(step.title, outcome);
    report.steps.push({ title: step.title, outcome, ...(why && { why }) });
    if (outcome !== 'done') report.ok = false;
  }

  const done = report.steps.filter((step) => step.outcome === 'done').length;
  options.log(`\n${done} of ${steps.length} steps done.`);
  for (const step of report.steps.filter((s) => s.outcome !== 'done')) {
    options.log(`  ${step.outcome}: ${step.title} (${step.why})`);
  }
  return report;
}
