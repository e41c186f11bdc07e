import { DomainError } from './domain.error';

class TalentAlreadyGranted extends DomainError {
  constructor(talentId: string, cause?: unknown) {
    super('TALENT.ALREADY_GRANTED', 'conflict', `Talent ${talentId} was already granted`, {
      details: { talentId },
      cause,
    });
  }
}

describe(DomainError.name, () => {
  it('does carry its code, kind, details and cause, named after its subclass', () => {
    const cause = new Error('unique violation');

    const error = new TalentAlreadyGranted('t-1', cause);

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'TalentAlreadyGranted',
      code: 'TALENT.ALREADY_GRANTED',
      kind: 'conflict',
      message: 'Talent t-1 was already granted',
      details: { talentId: 't-1' },
      cause,
    });
  });
});
