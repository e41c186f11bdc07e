import { Matches, ValidationOptions } from 'class-validator';
import { PSEUDONYM_PATTERN } from '../pseudonym';

/** A region name as in the region registry. */
export const REGION_NAME_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;

/** Why personal data may be used: lower-case words joined by dashes (`continuity-of-care`). */
export const PURPOSE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The purpose under which health records cross the line (the medical alliance's continuity of care). */
export const CONTINUITY_OF_CARE = 'continuity-of-care';

export function IsPseudonym(options?: ValidationOptions): PropertyDecorator {
  return Matches(PSEUDONYM_PATTERN, { message: '$property must be a pseudonym (p1.…)', ...options });
}

export function IsRegionName(options?: ValidationOptions): PropertyDecorator {
  return Matches(REGION_NAME_PATTERN, { message: '$property must be a region name', ...options });
}

export function IsPurpose(options?: ValidationOptions): PropertyDecorator {
  return Matches(PURPOSE_PATTERN, { message: '$property must be lower-case words joined by dashes', ...options });
}
