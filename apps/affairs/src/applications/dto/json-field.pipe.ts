import {
  BadRequestException,
  ExecutionContext,
  Injectable,
  PipeTransform,
  Type,
  createParamDecorator,
} from '@nestjs/common';
import type { Request } from 'express';
import { createValidationPipe } from '@app/http';

/**
 * A multipart request's JSON field, validated like a JSON body (one problem entry per invalid field): an
 * application travels as multipart so that its materials are files, not base64 inside JSON.
 */
@Injectable()
export class JsonFieldPipe<T extends object> implements PipeTransform<unknown, Promise<T>> {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly dto: Type<T>,
    private readonly field: string,
  ) {}

  async transform(value: unknown): Promise<T> {
    if (typeof value !== 'string') throw this.invalid(`${this.field} is required: a JSON object as a form field`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw this.invalid(`${this.field} must be JSON`);
    }
    return (await this.validation.transform(parsed, { type: 'body', metatype: this.dto })) as T;
  }

  private invalid(message: string): BadRequestException {
    return new BadRequestException({ message, errors: [{ field: this.field, messages: [message] }] });
  }
}

/**
 * A form field of a multipart request, handed to the pipes given (`JsonFieldPipe`). A custom parameter, so that the
 * global validation pipe leaves the raw string to them instead of validating it as the parameter's class.
 */
export const FormField = createParamDecorator((name: string, context: ExecutionContext): unknown => {
  const body = context.switchToHttp().getRequest<Request>().body as Record<string, unknown> | undefined;
  return body?.[name];
});
