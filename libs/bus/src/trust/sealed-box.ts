import {
  KeyObject,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

const INFO = 'shuanglai sealed box v1';

/** A value sealed to one region's X25519 key: only the holder of its private key opens it. */
export interface SealedBox {
  /** The ephemeral X25519 public key (raw, base64url). */
  epk: string;
  iv: string;
  /** AES-256-GCM ciphertext followed by its 16-byte tag, base64. */
  ciphertext: string;
}

/** A region's X25519 public key from the registry (SPKI DER, base64). */
export function encryptionPublicKey(spkiBase64: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`must be an X25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/** A region's X25519 private key (PKCS#8 DER, base64). */
export function encryptionPrivateKey(pkcs8Base64: string): KeyObject {
  const key = createPrivateKey({ key: Buffer.from(pkcs8Base64, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'x25519') throw new Error(`must be an X25519 key, not ${key.asymmetricKeyType}`);
  return key;
}

/**
 * ECIES over X25519: an ephemeral key agrees a secret with the recipient's key, HKDF-SHA256 derives the AES-256-GCM
 * key, and `context` (e.g. the case id) is bound as associated data, so a box cannot be moved to another case.
 */
export function seal(recipient: KeyObject, plaintext: Buffer, context: string): SealedBox {
  const ephemeral = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const epk = rawPublicKey(ephemeral.publicKey);
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.from(epk, 'base64url'), INFO, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { epk, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** Throws when the box was not sealed to this key, was altered, or belongs to another context. */
export function open(privateKey: KeyObject, box: SealedBox, context: string): Buffer {
  const ephemeral = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: box.epk },
    format: 'jwk',
  });
  const shared = diffieHellman({ privateKey, publicKey: ephemeral });
  const key = Buffer.from(hkdfSync('sha256', shared, Buffer.from(box.epk, 'base64url'), INFO, 32));
  return decrypt(key, box.iv, box.ciphertext, context);
}

/** AES-256-GCM with a symmetric key (a content key carried in a sealed box): `iv:ciphertext+tag`, base64 each. */
export function encryptWith(key: Buffer, plaintext: Buffer, context: string): { iv: string; ciphertext: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64') };
}

export function decrypt(key: Buffer, ivBase64: string, ciphertextBase64: string, context: string): Buffer {
  const data = Buffer.from(ciphertextBase64, 'base64');
  if (data.length < 16) throw new Error('ciphertext shorter than its tag');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivBase64, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}

function rawPublicKey(key: KeyObject): string {
  return key.export({ format: 'jwk' }).x!;
}
