import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../validation-errors';
import { ConsentGrantedV1 } from './consent-granted.v1';

const valid = {
  consentId: '0b8f4a52-3b6c-4d0e-9a51-6f8d2b1c0e11',
  patient: `p1.${'a'.repeat(43)}`,
  purpose: 'continuity-of-care',
  grantees: ['laiyang'],
  validFrom: '2026-11-01T00:00:00Z',
  grantedAt: '2026-11-01T00:00:00Z',
};

function invalidFields(payload: object): string[] {
  return flattenValidationErrors(validateSync(plainToInstance(ConsentGrantedV1, payload))).map((e) => e.field);
}

describe(ConsentGrantedV1.name, () => {
  it('accepts grantees, or allPeers instead', () => {
    expect(invalidFields(valid)).toEqual([]);
    expect(invalidFields({ ...valid, grantees: undefined, allPeers: true })).toEqual([]);
  });

  it('needs grantees or allPeers, not both', () => {
    expect(invalidFields({ ...valid, grantees: undefined })).toEqual(['grantees']);
    expect(invalidFields({ ...valid, grantees: [] })).toEqual(['grantees']);
    expect(invalidFields({ ...valid, allPeers: true })).toEqual(['allPeers']);
  });

  it('names the patient by a pseudonym, never a resident ID', () => {
    expect(invalidFields({ ...valid, patient: '11010519491231002X' })).toEqual(['patient']);
  });
});
