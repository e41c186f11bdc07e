/** Matter codes of the catalogue (`ENT-FOOD-BIZ`, `PER-MED-OTHER-CITY`): data, so only their shape is checked here. */
export const MATTER_CODE_PATTERN = /^[A-Z][A-Z0-9-]{1,47}$/;

/** A catalogue version as its publisher names it (`2026.1`). */
export const CATALOGUE_VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** SHA-256 in base64url without padding (43 characters). */
export const SHA256_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const SHA256_MESSAGE = 'must be a SHA-256 digest in base64url (43 characters)';

/** The most matters one catalogue may list: its published digest list stays far below the bus's event limit. */
export const MAX_MATTERS = 1000;
