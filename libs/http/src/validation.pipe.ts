import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { FieldError, flattenValidationErrors } from '@app/contracts';

/** The body of the BadRequestException a failed validation throws; the ProblemDetailsFilter copies `errors`. */
export interface ValidationFailure {
  message: string;
  errors: FieldError[];
}

/** Strict input validation: unknown properties are refused, and each invalid field is reported on its own. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (validationErrors) => {
      const errors = flattenValidationErrors(validationErrors);
      const failure: ValidationFailure = {
        message: `Invalid request: ${errors.map((error) => error.field).join(', ')}`,
        errors,
      };
      return new BadRequestException(failure);
    },
  });
}
