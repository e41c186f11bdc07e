import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { LicenceStateV1, RegionRegistry, licenceSigningInput, signingKeyId } from '@app/contracts';

export type LicenceContent = Omit<LicenceStateV1, 'status' | 'version' | 'reason' | 'kid' | 'signature'>;

/** Signs a licence's content with this region's Ed25519 key (the one its events are signed with). */
export function signLicence(
  content: LicenceContent,
  issuingRegion: string,
  signingKey: string,
): { kid: string; signature: string } {
  const privateKey = createPrivateKey({ key: Buffer.from(signingKey, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = sign(null, licenceSigningInput(content, issuingRegion), privateKey);
  return { kid: signingKeyId(createPublicKey(privateKey)), signature: signature.toString('base64url') };
}

/** Verifies a licence offline: the issuing region's key named `kid` in the registry, over the licence's content. */
export function licenceSignatureValid(
  licence: LicenceStateV1,
  issuingRegion: string,
  registry: RegionRegistry,
): boolean {
  if (!registry.has(issuingRegion)) return false;
  const key = registry.key(issuingRegion, licence.kid);
  if (!key) return false;
  return verify(
    null,
    licenceSigningInput(licence, issuingRegion),
    key.publicKey,
    Buffer.from(licence.signature, 'base64url'),
  );
}
