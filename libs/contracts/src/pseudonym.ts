/** A keyed pseudonym of a resident ID (`Pseudonymizer` in @app/bus): how a person is named across the line. */
export const PSEUDONYM_PATTERN = /^p1\.[A-Za-z0-9_-]{43}$/;
