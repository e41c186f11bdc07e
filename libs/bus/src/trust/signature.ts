import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { RegionKey, keyInForce, signingKeyId } from '@app/contracts';
import { BusError } from '../bus.errors';

/** Scheme v3 names the key (kid) and signs it; v2 (no kid) is still verified while v2 events may be on topics. */
const SCHEME_V3 = 'shuanglai.sig.v3';
const SCHEME_V2 = 'shuanglai.sig.v2';
/** `ce_sig` of v3: `<kid>.<base64 signature>`; of v2: `<base64 signature>`. An Ed25519 signature is 64 bytes. */
const SIG_V3 = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9+/]{86}==)$/;
const SIG_V2 = /^[A-Za-z0-9+/]{86}==$/;

/** The envelope attributes and the exact Kafka value bytes that an event signature covers. */
export interface SignedFields {
  id: string;
  type: string;
  source: string;
  region: string;
  subject: string;
  time: string;
  seq: string;
  /** The region a directed event is addressed to; '' for a broadcast. */
  target: string;
  data: Buffer;
}

/**
 * The bytes that get signed: a JSON array of strings (RFC 8785 serialisation, so field boundaries are unambiguous);
 * the data enters as its SHA-256 so the input stays small whatever the payload size. `kid` null gives scheme v2.
 */
export function canonicalSigningInput(fields: SignedFields, kid: string | null): Buffer {
  const dataHash = createHash('sha256').update(fields.data).digest('hex');
  const attributes = [
    fields.id,
    fields.type,
    fields.source,
    fields.region,
    fields.subject,
    fields.time,
    fields.seq,
    fields.target,
    dataHash,
  ];
  return Buffer.from(
    JSON.stringify(kid === null ? [SCHEME_V2, ...attributes] : [SCHEME_V3, kid, ...attributes]),
    'utf8',
  );
}

/** Signs with the region's current key: the one the environment gives; its kid is the key's thumbprint. */
export class EventSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;

  constructor(privateKeyPkcs8DerBase64: string) {
    this.privateKey = createPrivateKey({
      key: Buffer.from(privateKeyPkcs8DerBase64, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    if (this.privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`Signing key must be Ed25519, got ${this.privateKey.asymmetricKeyType ?? 'unknown'}`);
    }
    this.kid = signingKeyId(createPublicKey(this.privateKey));
  }

  /** The value of `ce_sig`: the kid and the Ed25519 signature of the canonical form (v3), base64. */
  sign(fields: SignedFields): string {
    return this.format(sign(null, canonicalSigningInput(fields, this.kid), this.privateKey));
  }

  /** The same, computed on libuv's thread pool: a batch signed with Promise.all uses every core. */
  signAsync(fields: SignedFields): Promise<string> {
    return new Promise((resolve, reject) =>
      sign(null, canonicalSigningInput(fields, this.kid), this.privateKey, (error, signature) =>
        error ? reject(error) : resolve(this.format(signature)),
      ),
    );
  }

  private format(signature: Buffer): string {
    return `${this.kid}.${signature.toString('base64')}`;
  }
}

export type SignatureCheck = { ok: true; kid: string } | { ok: false; error: BusError };

/**
 * Verifies `ce_sig` against the origin region's keys: a v3 signature by the key its kid names, provided the event's
 * signed time is inside that key's window; a v2 signature (no kid) by any key of the region in force at that time.
 */
export class EventVerifier {
  /** `keysOf` answers the registry's keys of a region; whatever it throws propagates. */
  constructor(private readonly keysOf: (region: string) => readonly RegionKey[]) {}

  /**
   * Checked on libuv's thread pool, so that verifying a batch (Promise.all) uses every core and does not stall the
   * event loop; Ed25519 verification costs about 90 µs per event. Malformed signatures fail, never throw.
   */
  async verify(fields: SignedFields, sig: string): Promise<SignatureCheck> {
    const v3 = SIG_V3.exec(sig);
    const kid = v3 ? v3[1] : null;
    const encoded = v3 ? v3[2] : sig;
    const signature = Buffer.from(encoded, 'base64');
    // Buffer.from skips characters outside the alphabet, so only the canonical encoding counts as that signature.
    if ((!v3 && !SIG_V2.test(sig)) || signature.toString('base64') !== encoded) {
      return failure('BUS.BAD_SIGNATURE', 'sig is not <kid>.<base64 Ed25519 signature>');
    }
    const time = new Date(fields.time);
    const keys = this.keysOf(fields.region);
    let candidates: readonly RegionKey[];
    if (kid !== null) {
      const key = keys.find((candidate) => candidate.kid === kid);
      if (!key) return failure('BUS.UNKNOWN_SIGNING_KEY', `${fields.region} has no key ${kid} in the region registry`);
      if (!keyInForce(key, time)) {
        const until = key.notAfter?.toISOString() ?? 'no end';
        return failure(
          'BUS.SIGNING_KEY_OUT_OF_WINDOW',
          `key ${kid} of ${fields.region} signs events of ${key.notBefore.toISOString()} until ${until}, not of ${fields.time}`,
        );
      }
      candidates = [key];
    } else {
      candidates = keys.filter((key) => keyInForce(key, time));
      if (candidates.length === 0) {
        return failure('BUS.SIGNING_KEY_OUT_OF_WINDOW', `no key of ${fields.region} signs events of ${fields.time}`);
      }
    }
    const input = canonicalSigningInput(fields, kid);
    for (const key of candidates) {
      if (await verifyOnPool(input, key.publicKey, signature)) return { ok: true, kid: key.kid };
    }
    return failure(
      'BUS.BAD_SIGNATURE',
      `signature does not verify with ${kid === null ? `${fields.region}'s keys (v2)` : `${fields.region}'s key ${kid}`}`,
    );
  }
}

function failure(code: BusError['code'], message: string): SignatureCheck {
  return { ok: false, error: new BusError(code, message) };
}

function verifyOnPool(input: Buffer, publicKey: KeyObject, signature: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      verify(null, input, publicKey, signature, (error, valid) => resolve(!error && valid));
    } catch {
      resolve(false);
    }
  });
}
