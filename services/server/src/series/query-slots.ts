import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/session.guard';
import { InjectConfig } from '../config/config-slice';
import { seriesConfig, type SeriesSettings } from './series.config';

/** Series and export requests running now, per user: one analyst cannot take every query. */
@Injectable()
export class QuerySlots {
  private readonly running = new Map<string, number>();

  constructor(@InjectConfig(seriesConfig) private readonly settings: SeriesSettings) {}

  get perUser(): number {
    return this.settings.queriesPerUser;
  }

  /** A release function, or undefined when the user already runs as many as they may. */
  acquire(user: string): (() => void) | undefined {
    const count = this.running.get(user) ?? 0;
    if (count >= this.perUser) return undefined;
    this.running.set(user, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(user) ?? 1) - 1;
      if (left <= 0) this.running.delete(user);
      else this.running.set(user, left);
    };
  }
}

/**
 * Holds a slot from the request until its response closes (sent, failed or abandoned by the
 * client), which for a streamed export is long after the handler started writing.
 */
@Injectable()
export class HeavyQuery implements NestInterceptor {
  constructor(private readonly slots: QuerySlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const session = request.meetnetSession;
    const user = session ? `${session.provider}:${session.name}` : `address:${request.ip ?? ''}`;
    const release = this.slots.acquire(user);
    if (!release) {
      throw new HttpException(
        `Too many queries at once: at most ${this.slots.perUser} series or exports per user run together; wait for one to finish`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    http.getResponse<Response>().once('close', release);
    return next.handle();
  }
}
