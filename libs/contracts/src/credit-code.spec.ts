import { validateSync } from 'class-validator';
import { IsCreditCode, creditCodeCheckCharacter, creditCodeProblem } from './credit-code';

class Enterprise {
  @IsCreditCode()
  creditCode!: string;
}

describe(creditCodeProblem.name, () => {
  it('accepts a code with the right check character', () => {
    expect(creditCodeProblem('91350100M000100Y43')).toBeNull();
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('accepts exactly one of the 31 check characters for any 17 first characters', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (const base of ['91370285MA3C4XAM0', '12370200000000000', '93370283YYYYYYYYY']) {
      expect([...alphabet].filter((check) => creditCodeProblem(base + check) === null)).toHaveLength(1);
    }
  });

  it('writes a check value of 31 as 0', () => {
    const first17 = [...'91370285MA0000000'];
    // Find a 17-character body whose weighted sum is a multiple of 31: its check character must be 0, never 31.
    for (const c of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
      first17[16] = c;
      const body = first17.join('');
      if (creditCodeCheckCharacter(body) === '0') {
        expect(creditCodeProblem(`${body}0`)).toBeNull();
        return;
      }
    }
    throw new Error('no body with check character 0 found');
  });

  it('refuses a wrong check character and names the expected one', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe('check character is wrong (expected 3)');
  });

  it.each([
    ['91350100M000100YI3', "'I' is not a character of the code (0-9 and A-Y but I, O, S, V, Z)"],
    ['91350100M0001O0Y43', "'O' is not a character of the code (0-9 and A-Y but I, O, S, V, Z)"],
    ['91350100m000100Y43', "'m' is not a character of the code (0-9 and A-Y but I, O, S, V, Z)"],
  ])('refuses %s, outside the alphabet', (code, problem) => {
    expect(creditCodeProblem(code)).toBe(problem);
  });

  it.each(['91350100M000100Y4', '91350100M000100Y433', ''])('refuses %j, of the wrong length', (code) => {
    expect(creditCodeProblem(code)).toBe('must be 18 characters');
  });

  it('refuses a value that is no string', () => {
    expect(creditCodeProblem(913501)).toBe('must be a string');
  });

  it('refuses an administrative division that is not six digits', () => {
    expect(creditCodeProblem('91A50100M000100Y43')).toBe('positions 3 to 8 must be an administrative division code');
  });
});

describe(IsCreditCode.name, () => {
  it('names the field and the problem', () => {
    const valid = Object.assign(new Enterprise(), { creditCode: '91350100M000100Y43' });
    expect(validateSync(valid)).toHaveLength(0);
    const [error] = validateSync(Object.assign(new Enterprise(), { creditCode: '91350100M000100Y44' }));
    expect(error.property).toBe('creditCode');
    expect(error.constraints).toEqual({
      isCreditCode: 'creditCode is not a valid unified social credit code: check character is wrong (expected 3)',
    });
  });
});
