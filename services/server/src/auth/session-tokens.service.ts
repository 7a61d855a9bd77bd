import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Role, type SessionUser } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { authConfig, type AuthSettings } from './auth.config';

interface SessionClaims {
  sub: string;
  roles: Role[];
  provider: string;
  jti: string;
  exp: number;
  iat: number;
}

export interface Session extends SessionUser {
  id: string;
  /** Epoch seconds the token was signed. */
  issuedAt: number;
}

/**
 * Sessions are short-lived signed tokens (HS256) in an httpOnly cookie, so any instance can
 * check one without shared state. Logout ends a token before its expiry through a deny-list.
 */
@Injectable()
export class SessionTokens {
  /** Session id → epoch seconds at which its token would have expired anyway. */
  private readonly ended = new Map<string, number>();
  private readonly jwt: JwtService;

  constructor(@InjectConfig(authConfig) private readonly settings: AuthSettings) {
    this.jwt = new JwtService({
      secret: this.settings.sessionSecret,
      signOptions: { algorithm: 'HS256', expiresIn: this.settings.sessionTtlS, issuer: 'meetnet' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'meetnet' },
    });
  }

  issue(name: string, roles: Role[], provider: string): { token: string; session: Session } {
    const id = randomUUID();
    const token = this.jwt.sign({ sub: name, roles, provider, jti: id });
    const expiresAt = Math.floor(Date.now() / 1000) + this.settings.sessionTtlS;
    return {
      token,
      session: { id, name, roles, provider, expiresAt, issuedAt: Math.floor(Date.now() / 1000) },
    };
  }

  /** The session, or undefined for a missing, forged, expired or logged-out token. */
  verify(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    let claims: SessionClaims;
    try {
      claims = this.jwt.verify<SessionClaims>(token);
    } catch {
      return undefined;
    }
    if (this.ended.has(claims.jti) || !Array.isArray(claims.roles) || !claims.roles.every(isRole)) {
      return undefined;
    }
    return {
      id: claims.jti,
      name: claims.sub,
      roles: claims.roles,
      provider: claims.provider,
      expiresAt: claims.exp,
      issuedAt: claims.iat,
    };
  }

  end(session: Session): void {
    const now = Math.floor(Date.now() / 1000);
    for (const [id, expiresAt] of this.ended) if (expiresAt < now) this.ended.delete(id);
    this.ended.set(session.id, session.expiresAt);
  }
}
