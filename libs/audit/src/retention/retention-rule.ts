/** Names of tables and columns a rule may use: plain lower-case identifiers (they are written into SQL). */
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * One personal-data table's retention: its rows whose `timeColumn` is more than `days` days old (and that match
 * `where`, a fixed SQL condition whose parameters `params` are numbered from $3) are deleted.
 */
export interface RetentionRule {
  /** Unique among the service's rules; the table's name unless a table has several rules. */
  name?: string;
  table: string;
  timeColumn: string;
  /** The configuration variable the period comes from, as it is reported and audited. */
  setting: string;
  days: number;
  /** What the rows hold, for the operators' listing. */
  holds: string;
  where?: string;
  params?: unknown[];
}

/** The rule as registered: named, with the identifiers and the period checked. */
export function checkedRule(rule: RetentionRule): RetentionRule & { name: string } {
  for (const identifier of [rule.table, rule.timeColumn]) {
    if (!IDENTIFIER.test(identifier)) throw new Error(`retention rule: '${identifier}' is not a plain identifier`);
  }
  if (!Number.isInteger(rule.days) || rule.days < 1) {
    throw new Error(`retention rule ${rule.table}: ${rule.setting} must be a whole number of days from 1`);
  }
  return { ...rule, name: rule.name ?? rule.table };
}
