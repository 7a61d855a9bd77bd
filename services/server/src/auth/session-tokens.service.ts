import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Role, type SessionUser } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import type { Logger } from 'pino';
import { PipelineEventBus } from '../events/pipeline-events';
import { SharedRedis } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { authConfig, type AuthSettings } from './auth.config';

/** How often the shared deny-list is read again: it also covers a logout a relay missed. */
const DENY_LIST_RELOAD_MS = 10_000;

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
 * check one without shared state. Logout ends a token before its expiry through a deny-list,
 * which with several instances is shared: kept in Redis (a sorted set by expiry, so it
 * empties itself) and told to the others at once (`peer.session.ended`). Checking stays
 * synchronous and local.
 */
@Injectable()
export class SessionTokens implements OnApplicationBootstrap, OnModuleDestroy {
  /** Session id → epoch seconds at which its token would have expired anyway. */
  private readonly ended = new Map<string, number>();
  private readonly jwt: JwtService;
  private readonly logger: Logger;
  private reloadTimer: NodeJS.Timeout | undefined;
  private loaded = false;

  constructor(
    @InjectConfig(authConfig) private readonly settings: AuthSettings,
    private readonly redis: SharedRedis,
    events: PipelineEventBus,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: SessionTokens.name });
    events.on('peer.session.ended', ({ sessionId, expiresAt }) => this.ended.set(sessionId, expiresAt));
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
    if (!this.redis.enabled) return;
    // Queued by the client while Redis is away, and written when it returns.
    void this.redis
      .connected()
      .then((client) => client.zAdd(this.deniedKey, { score: session.expiresAt, value: session.id }))
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'logout not shared: Redis did not take it'),
      );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.enabled) return;
    // A Redis that is away at start-up must not hold the service back: the timer tries again.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.reload(), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    this.reloadTimer = setInterval(() => void this.reload(), DENY_LIST_RELOAD_MS);
    this.reloadTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.reloadTimer) clearInterval(this.reloadTimer);
  }

  private get deniedKey(): string {
    return this.redis.key('sessions-ended');
  }

  /** Every logout of the deployment that has not expired yet. */
  private async reload(): Promise<void> {
    // Before the first connection (start-up) wait for it; later, a Redis that is away is skipped.
    if (!this.redis.ready && this.loaded) return;
    try {
      const client = await this.redis.connected();
      const now = Math.floor(Date.now() / 1000);
      await client.zRemRangeByScore(this.deniedKey, '-inf', now - 1);
      const entries = await client.zRangeByScoreWithScores(this.deniedKey, now, '+inf');
      for (const { value, score } of entries) this.ended.set(value, score);
      this.loaded = true;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the shared deny-list from Redis');
    }
  }
}
