import { HukouFactRow } from './hukou.repository';

export interface HukouStatus {
  region: string;
  registered: boolean;
  /** The last change this city recorded, and its date. */
  lastChange: HukouFactRow['change'];
  since: string;
  /** The services this city recognises the registration for (another city's registration). */
  recognisedFor: readonly string[];
}

/** Per city, the person's registration as of its latest fact (`facts` in order), as `region` recognises it. */
export function hukouStatus(facts: HukouFactRow[], region: string, hukouServices: readonly string[]): HukouStatus[] {
  const latest = new Map<string, HukouFactRow>();
  for (const fact of facts) latest.set(fact.origin, fact);
  return [...latest.values()].map((fact) => {
    const registered = fact.change !== 'moved-out';
    return {
      region: fact.origin,
      registered,
      lastChange: fact.change,
      since: fact.on,
      recognisedFor: registered && fact.origin !== region ? hukouServices : [],
    };
  });
}
