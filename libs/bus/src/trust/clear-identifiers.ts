import { residentIdProblem } from './resident-id';

/*
 * Nothing personal crosses the line in the clear. BusPublisher refuses any event with a valid resident ID or
 * mobile number in a string of its payload or in its subject (ClearIdentifierError, 422 at the HTTP edge, naming
 * each field path). A service whose users expect a person's ID in a structured field names the person by
 * `Pseudonymizer.of(id)` before publishing; one that accepts free text may rewrite it with
 * `replaceClearIdentifiers(text, (id, kind) => kind === 'resident-id' ? pseudonyms.of(id.toUpperCase()) : '[mobile]')`
 * instead of letting the request fail.
 */

/** What kind of clear identifier a text holds. */
export type ClearIdentifierKind = 'resident-id' | 'mobile';

/** A clear identifier found in a text: where it is (UTF-16 offsets), never what it is, outside this module. */
export interface ClearIdentifierMatch {
  kind: ClearIdentifierKind;
  start: number;
  end: number;
}

/** A field of a payload that holds clear identifiers; `path` is dotted like validation errors (`items.0.note`). */
export interface ClearIdentifierFinding {
  path: string;
  kinds: ClearIdentifierKind[];
}

/**
 * 17 digits and a check character, not part of a longer run of digits. The check character may be written
 * lower-case here: a leak is a leak whatever its spelling (validation at the edge still wants `X`).
 */
const RESIDENT_ID_CANDIDATE = /(?<!\d)\d{17}[\dXx](?!\d)/g;
/** 1[3-9] and 9 digits, grouped 3-4-4 by optional spaces or hyphens, optionally after +86 or 0086. */
const MOBILE = /(?:(?<![\d+])(?:\+|00)86[ -]?|(?<!\d))1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)/g;
/**
 * Opaque tokens that are not free text and whose digit runs are chance: UUIDs (a hyphenated mobile number fits
 * `…138-1234-5678-…` in about one UUID in 1,500), hex digests of 32+ characters, and keyed pseudonyms. They are
 * blanked before the search, so that documents listing many UUIDs are not refused by chance.
 */
const OPAQUE_TOKENS = [
  /(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])/g,
  /(?<![0-9A-Za-z])(?=[0-9A-Fa-f]*[A-Fa-f])[0-9A-Fa-f]{32,}(?![0-9A-Za-z])/g,
  /(?<![A-Za-z0-9_-])p1\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
];

/** The quick test that lets most texts through without a regular-expression search. */
const ENOUGH_DIGITS = /\d(?:[ -]?\d){10}/;

/**
 * Every valid GB 11643-1999 resident ID number (check character and birth date checked) and every mainland
 * mobile number in `text`, in order of position.
 */
export function scanText(text: string, now: Date = new Date()): ClearIdentifierMatch[] {
  if (!ENOUGH_DIGITS.test(text)) return [];
  const masked = OPAQUE_TOKENS.reduce(
    (current, token) => current.replace(token, (found) => '#'.repeat(found.length)),
    text,
  );
  const matches: ClearIdentifierMatch[] = [];
  for (const found of masked.matchAll(RESIDENT_ID_CANDIDATE)) {
    if (residentIdProblem(found[0].toUpperCase(), now) === null) {
      matches.push({ kind: 'resident-id', start: found.index, end: found.index + found[0].length });
    }
  }
  for (const found of masked.matchAll(MOBILE)) {
    matches.push({ kind: 'mobile', start: found.index, end: found.index + found[0].length });
  }
  return matches.sort((a, b) => a.start - b.start);
}

/**
 * `text` with each clear identifier replaced by `replace(identifier, kind)`: e.g. a resident ID by its keyed
 * pseudonym (`Pseudonymizer.of(id.toUpperCase())`), a mobile number by a placeholder.
 */
export function replaceClearIdentifiers(
  text: string,
  replace: (identifier: string, kind: ClearIdentifierKind) => string,
  now: Date = new Date(),
): string {
  let result = '';
  let from = 0;
  for (const match of scanText(text, now)) {
    if (match.start < from) continue;
    result += text.slice(from, match.start) + replace(text.slice(match.start, match.end), match.kind);
    from = match.end;
  }
  return result + text.slice(from);
}

/**
 * The fields of a JSON value (every string, object keys included) that hold a clear identifier, as dotted paths.
 * A key that holds one is named `*` in the paths, so that no path repeats an identifier.
 */
export function findClearIdentifiers(value: unknown, now: Date = new Date()): ClearIdentifierFinding[] {
  const findings = new Map<string, Set<ClearIdentifierKind>>();
  const note = (path: string, matches: ClearIdentifierMatch[]) => {
    if (matches.length === 0) return;
    const kinds = findings.get(path) ?? new Set();
    for (const match of matches) kinds.add(match.kind);
    findings.set(path, kinds);
  };
  // Iterative, so that a deeply nested payload cannot exhaust the stack.
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      note(path, scanText(current, now));
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => pending.push({ value: item, path: join(path, String(i)) }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const inKey = scanText(key, now);
        const field = join(path, inKey.length > 0 ? '*' : key);
        note(field, inKey);
        pending.push({ value: item, path: field });
      }
    }
  }
  return [...findings]
    .map(([path, kinds]) => ({ path, kinds: [...kinds].sort() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
