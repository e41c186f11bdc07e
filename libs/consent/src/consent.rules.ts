/** What a region knows of one consent: the grant, the revocation, or both (in whichever order they arrived). */
export interface ConsentRecord {
  /** The patient's home city, which recorded the consent and is the authority on it. */
  home: string;
  consentId: string;
  patient: string;
  /** Null until the grant is known (a revocation may arrive first). */
  purpose: string | null;
  /** Null when the consent names every peer. */
  grantees: string[] | null;
  allPeers: boolean;
  validFrom: Date | null;
  validUntil: Date | null;
  grantedAt: Date | null;
  revokedAt: Date | null;
}

export interface ConsentQuery {
  /** The region that would hold or read the data. */
  region: string;
  purpose: string;
  at: Date;
}

/**
 * Whether `consent` lets `region` hold the patient's data for `purpose` at `at`. A revocation ends the consent
 * whatever its time says (clocks of two cities differ; withdrawing is never undone), and the home city needs no
 * consent for its own data, so it is never a grantee.
 */
export function consentCovers(consent: ConsentRecord, query: ConsentQuery): boolean {
  if (consent.grantedAt === null || consent.revokedAt !== null) return false;
  if (consent.purpose !== query.purpose || consent.validFrom === null) return false;
  if (query.at < consent.validFrom) return false;
  if (consent.validUntil !== null && query.at >= consent.validUntil) return false;
  if (query.region === consent.home) return false;
  return consent.allPeers || (consent.grantees ?? []).includes(query.region);
}

/** The regions among `peers` that at least one of the consents lets hold the data for `purpose` at `at`. */
export function coveredRegions(consents: ConsentRecord[], peers: string[], purpose: string, at: Date): string[] {
  return peers.filter((region) => consents.some((consent) => consentCovers(consent, { region, purpose, at })));
}

/** The regions a consent names, whether or not it is active: where its grant and its revocation are sent. */
export function namedRegions(consent: Pick<ConsentRecord, 'grantees' | 'allPeers'>, peers: string[]): string[] {
  return consent.allPeers ? peers : (consent.grantees ?? []);
}
