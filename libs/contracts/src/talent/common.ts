/** A keyed pseudonym of a resident ID (`Pseudonymizer.of`): the only name of a person that crosses the line. */
export { PSEUDONYM_PATTERN } from '../pseudonym';
export const PSEUDONYM_MESSAGE = 'must be a keyed pseudonym (p1.<43 base64url characters>), never a clear ID number';

/** Calendar dates (validity, hukou changes, claim dates) travel as YYYY-MM-DD, in China's calendar. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Codes of tiers, benefits and hukou services: configuration data, so only their shape is checked here. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
