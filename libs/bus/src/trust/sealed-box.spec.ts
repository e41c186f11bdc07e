import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { decrypt, encryptWith, encryptionPrivateKey, encryptionPublicKey, open, seal } from './sealed-box';

describe(seal.name, () => {
  const recipient = generateKeyPairSync('x25519');
  const publicKey = encryptionPublicKey(recipient.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
  const privateKey = encryptionPrivateKey(
    recipient.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  );

  it('opens with the recipient key and the same context', () => {
    const box = seal(publicKey, Buffer.from('370285199001011234'), 'case-1');
    expect(box.ciphertext).not.toContain('370285');
    expect(open(privateKey, box, 'case-1').toString()).toBe('370285199001011234');
  });

  it('refuses another context, another key and an altered box', () => {
    const box = seal(publicKey, Buffer.from('secret'), 'case-1');
    expect(() => open(privateKey, box, 'case-2')).toThrow();
    const other = generateKeyPairSync('x25519').privateKey;
    expect(() => open(other, box, 'case-1')).toThrow();
    const altered = Buffer.from(box.ciphertext, 'base64');
    altered[0] ^= 1;
    expect(() => open(privateKey, { ...box, ciphertext: altered.toString('base64') }, 'case-1')).toThrow();
  });

  it('refuses a key that is not X25519', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(() => encryptionPublicKey(ed)).toThrow('must be an X25519 key, not ed25519');
  });
});

describe(encryptWith.name, () => {
  it('round-trips under one content key and context', () => {
    const key = randomBytes(32);
    const { iv, ciphertext } = encryptWith(key, Buffer.from('chunk'), 'a/b/0');
    expect(decrypt(key, iv, ciphertext, 'a/b/0').toString()).toBe('chunk');
    expect(() => decrypt(key, iv, ciphertext, 'a/b/1')).toThrow();
  });
});
