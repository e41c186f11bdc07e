/** The indicators a co-built project may share: GDP value added, output value and each tax kind's local share. */
export const LEDGER_INDICATORS = [
  'gdp-value-added',
  'output-value',
  'tax-vat',
  'tax-corporate-income',
  'tax-individual-income',
  'tax-urban-maintenance',
  'tax-property',
  'tax-land-use',
  'tax-stamp',
  'tax-other',
] as const;
export type LedgerIndicator = (typeof LEDGER_INDICATORS)[number];

/** Months (YYYY-MM) or quarters (YYYY-Qn). */
export const PERIOD_PATTERN = /^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$/;
export const PERIOD_MESSAGE = '$property must be a month (YYYY-MM) or a quarter (YYYY-Qn)';

/** An amount in fen: a whole number as text, at most 10^16 − 1 fen (10^14 yuan); never a float. */
export const FEN_PATTERN = /^(0|[1-9]\d{0,15})$/;
export const FEN_MESSAGE = '$property must be a whole number of fen as text (0 to 9999999999999999)';

/** A position or size in a log: a whole number as text (bigint). */
export const LOG_SIZE_PATTERN = /^(0|[1-9]\d{0,14})$/;
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
export const DATE_ONLY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A signed tree head's time: milliseconds since the epoch, as text. */
export const TIMESTAMP_MS_PATTERN = /^[1-9]\d{0,15}$/;
/** An Ed25519 signature, base64 (64 bytes). */
export const ED25519_SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;
/** A signing key's id (RFC 7638 thumbprint, base64url). */
export const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
