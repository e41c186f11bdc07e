import { createHmac, createSecretKey, KeyObject } from 'node:crypto';

/** Bumped when the scheme changes, so pseudonyms of two schemes never collide or get compared. */
const VERSION_PREFIX = 'p1.';

/** Names a person across regions without the clear resident ID: a keyed hash with a secret the regions share. */
export class Pseudonymizer {
  private readonly key: KeyObject;

  constructor(secret: string) {
    if (secret.length === 0) throw new Error('Pseudonym secret must not be empty');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** Callers pass a validated ID: a different spelling of one number would yield a different pseudonym. */
  of(residentId: string): string {
    return VERSION_PREFIX + createHmac('sha256', this.key).update(residentId, 'utf8').digest('base64url');
  }
}
