import { createHash, KeyObject } from 'node:crypto';

/**
 * The key id (`kid`) of an Ed25519 public key: its RFC 7638 JWK thumbprint, the base64url SHA-256 of
 * `{"crv":"Ed25519","kty":"OKP","x":"<key>"}` (RFC 8037). Any implementation derives it from the key alone.
 */
export function signingKeyId(publicKey: KeyObject): string {
  const { crv, x } = publicKey.export({ format: 'jwk' });
  return createHash('sha256')
    .update(JSON.stringify({ crv, kty: 'OKP', x }))
    .digest('base64url');
}
