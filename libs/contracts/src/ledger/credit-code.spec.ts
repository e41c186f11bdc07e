import { isValidCreditCode } from './credit-code';

describe(isValidCreditCode.name, () => {
  it('accepts codes whose check character matches', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });

  it('accepts exactly one of the 31 check characters for any 17 first characters', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (const base of ['91370285MA3C4XAM0', '12370200000000000', '93370283YYYYYYYYY']) {
      expect([...alphabet].filter((check) => isValidCreditCode(base + check))).toHaveLength(1);
    }
  });

  it('refuses a wrong check character, a letter outside the alphabet, and wrong lengths', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M0001O0Y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    expect(isValidCreditCode(913501)).toBe(false);
  });
});
