/**
 * `npm run keygen -- [notBefore]`: a new Ed25519 signing key for a region. Prints the private key (PKCS#8 DER,
 * base64: the region's REGION_SIGNING_KEY, a secret) on stderr and the entry to add to the region's `keys` in the
 * region registry on stdout. notBefore (RFC 3339, default now) must precede the moment the publisher switches to the
 * key by more than any outbox backlog: see docs/protocol.md, "Key rotation". `npm run keygen -- --encryption` makes a
 * region's X25519 encryption key instead (REGION_ENCRYPTION_KEY, and the registry's `encryptionKey`).
 */
import { generateKeyPairSync } from 'node:crypto';
import { signingKeyId } from '@app/contracts/regions/key-id';

function main(): void {
  if (process.argv[2] === '--encryption') return encryptionKey();
  const [notBefore = new Date().toISOString()] = process.argv.slice(2);
  if (Number.isNaN(Date.parse(notBefore)) || !/(Z|[+-]\d{2}:\d{2})$/.test(notBefore)) {
    process.stderr.write('usage: npm run keygen -- [notBefore, an RFC 3339 time with its offset]\n');
    process.exit(2);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const entry = {
    kid: signingKeyId(publicKey),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    notBefore,
  };
  process.stderr.write(
    `REGION_SIGNING_KEY (keep it secret): ${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}\n`,
  );
  process.stdout.write(`${JSON.stringify(entry, null, 2)}\n`);
}

/** `npm run keygen -- --encryption`: a region's X25519 key that personal data meant for it alone is sealed to. */
function encryptionKey(): void {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  process.stderr.write(
    `REGION_ENCRYPTION_KEY (keep it secret): ${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}\n`,
  );
  const entry = { encryptionKey: { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64') } };
  process.stdout.write(`${JSON.stringify(entry, null, 2)}\n`);
}

main();
