import { Pseudonymizer } from './pseudonym';

describe(Pseudonymizer.name, () => {
  const secret = 'shared-test-secret';
  const id = '370285196205237809';

  it('does give the same pseudonym for the same secret and ID', () => {
    expect(new Pseudonymizer(secret).of(id)).toBe(new Pseudonymizer(secret).of(id));
  });

  it('does match HMAC-SHA256 as unpadded base64url behind the version prefix', () => {
    // From openssl: printf %s <id> | openssl dgst -sha256 -hmac <secret> -binary | basenc --base64url, '=' dropped.
    expect(new Pseudonymizer(secret).of(id)).toBe('p1.teQkogJ6Tsf4I6mD7miJ44FodAV4XZkCDKU6EGMRVmk');
  });

  it('does give different pseudonyms for different secrets', () => {
    expect(new Pseudonymizer('secret-a').of(id)).not.toBe(new Pseudonymizer('secret-b').of(id));
  });

  it('does give different pseudonyms for different IDs', () => {
    const pseudonymizer = new Pseudonymizer(secret);
    expect(pseudonymizer.of(id)).not.toBe(pseudonymizer.of('370682198710126394'));
  });

  it('does produce the p1 format', () => {
    expect(new Pseudonymizer(secret).of(id)).toMatch(/^p1\.[A-Za-z0-9_-]{43}$/);
  });

  it('does refuse an empty secret', () => {
    expect(() => new Pseudonymizer('')).toThrow('Pseudonym secret must not be empty');
  });
});
