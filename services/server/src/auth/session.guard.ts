import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@meetnet/contracts';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { PUBLIC_KEY, ROLES_KEY, SESSION_COOKIE } from './access-policy';
import { type Session, SessionTokens } from './session-tokens.service';
import { UserDirectory } from './user-directory.service';

export type AuthenticatedRequest = Request & { meetnetSession?: Session };

/**
 * Every HTTP route is closed unless it says otherwise: `@Public()` opens it, `@Roles(...)`
 * admits those roles, and a route that says neither admits nobody (and is logged), so a
 * forgotten decorator fails safe.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly logger: Logger;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: SessionTokens,
    private readonly users: UserDirectory,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: SessionGuard.name });
  }

  canActivate(context: ExecutionContext): boolean {
    // The live gateway checks its sockets at the handshake (LiveGateway).
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = this.sessionOf(request);
    if (!session) throw new UnauthorizedException('Sign in first: no valid session');
    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.error({ route: `${request.method} ${request.path}` }, 'route declares no roles: refused');
      throw new ForbiddenException('This route declares no roles');
    }
    if (!session.roles.some((role) => roles.includes(role))) {
      throw new ForbiddenException(`Only for ${roles.join(', ')}; you are ${session.roles.join(', ')}`);
    }
    request.meetnetSession = session;
    return true;
  }

  /** A valid token whose local user still exists with the same role. */
  sessionOf(request: Request): Session | undefined {
    const cookies = request.cookies as Record<string, string> | undefined;
    return this.check(this.tokens.verify(cookies?.[SESSION_COOKIE]));
  }

  check(session: Session | undefined): Session | undefined {
    if (
      session?.provider === 'local' &&
      !this.users.stillHolds(session.name, session.roles, session.issuedAt)
    )
      return undefined;
    return session;
  }
}
