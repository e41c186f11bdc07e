import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { FieldError, flattenValidationErrors } from '@app/contracts';

/** The body of the BadRequestException a failed validation throws; the ProblemDetailsFilter copies `errors`. */
export interface ValidationFailure {
  message: string;
  errors: FieldError[];
}

/**
 * Leaves alone a value that already is an instance of its class: the bus hands its handlers payloads it has
 * validated on receipt, and validating each event twice would cost the consumer for nothing.
 */
class InstanceAwareValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && value instanceof metadata.metatype) return Promise.resolve(value);
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** Strict input validation: unknown properties are refused, and each invalid field is reported on its own. */
export function createValidationPipe(): ValidationPipe {
  return new InstanceAwareValidationPipe({
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
