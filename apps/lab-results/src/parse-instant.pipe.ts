import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/http';

/** An optional ISO 8601 instant from a query string. */
@Injectable()
export class ParseInstantPipe implements PipeTransform<string | undefined, Date | undefined> {
  transform(value: string | undefined): Date | undefined {
    if (value === undefined || value === '') return undefined;
    const date = new Date(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
      throw new DomainError('LAB.INVALID_INSTANT', 'invalid', `'${value}' is not an ISO 8601 instant`);
    }
    return date;
  }
}
