import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a handler's error back to the consumer as it was thrown: Nest's default RPC filter would replace it with a
 * generic `{ status: 'error' }`, and the bus decides between retry and dead letter from the error's own fields.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
