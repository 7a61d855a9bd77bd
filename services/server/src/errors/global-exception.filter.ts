import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';

/**
 * One error shape for the whole API. A 4xx keeps its reason; anything unexpected becomes a 500
 * carrying an `errorId` that is also in the log, so a user's report can be found.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      response
        .status(exception.getStatus())
        .json(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    // body-parser's own errors (413 too large, 400 bad JSON, 415) say what the client did wrong.
    const status = (exception as { status?: unknown; expose?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      response.status(status).json({ statusCode: status, message: (exception as Error).message });
      return;
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId }, 'unhandled error in request');
    response
      .status(HttpStatus.INTERNAL_SERVER_ERROR)
      .json({ statusCode: 500, message: 'Internal server error', errorId });
  }
}
