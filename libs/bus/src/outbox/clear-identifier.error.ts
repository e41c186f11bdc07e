import { DomainError } from '@app/http';
import { ClearIdentifierFinding, ClearIdentifierKind } from '../trust/clear-identifiers';

const WHAT: Record<ClearIdentifierKind, string> = {
  'resident-id': 'a resident ID number',
  mobile: 'a mobile phone number',
};

/**
 * An event whose payload (or subject) holds a clear resident ID or mobile number: refused when it is published, so
 * its transaction writes nothing and the identifier never reaches the outbox. The HTTP edge answers 422 with one
 * entry per field path; neither the message nor the details repeat the value.
 */
export class ClearIdentifierError extends DomainError {
  constructor(
    readonly type: string,
    readonly findings: ClearIdentifierFinding[],
  ) {
    super(
      'BUS.CLEAR_IDENTIFIER',
      'unprocessable',
      `the event ${type} would carry a clear identifier in ${findings.map((f) => f.path).join(', ')}: ` +
        'send a pseudonym or leave it out',
      {
        details: { type, fields: findings },
        errors: findings.map(({ path, kinds }) => ({
          field: path,
          messages: kinds.map((kind) => `holds ${WHAT[kind]}; send a pseudonym or leave it out`),
        })),
      },
    );
  }
}
