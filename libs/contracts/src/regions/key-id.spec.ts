import { createPublicKey } from 'node:crypto';
import { signingKeyId } from './key-id';

describe(signingKeyId.name, () => {
  it('is the JWK thumbprint of RFC 8037 appendix A.3 for the key of RFC 8032 test 1', () => {
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      format: 'jwk',
    });
    expect(signingKeyId(publicKey)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});
