import { Consent1795400200000 } from './1795400200000-consent';

/** The consent projection's migrations; a service that uses ConsentService runs them. */
export const CONSENT_MIGRATIONS = [Consent1795400200000];
