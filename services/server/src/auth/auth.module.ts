import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { LeasesModule } from '../leases/leases.module';
import { SharedRedis } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { authConfig, type AuthSettings } from './auth.config';
import { SharedThrottlerStorage } from './shared-throttler-storage';
import { AuthController } from './auth.controller';
import { OidcSignIn } from './oidc-sign-in.service';
import { rateLimits } from './rate-limits';
import { SessionGuard } from './session.guard';
import { SessionTokens } from './session-tokens.service';
import { UserDirectory } from './user-directory.service';
import { UsersController } from './users.controller';

/** People: sign-in (local accounts, OpenID Connect), sessions, roles on every route, rate limits. */
@Global()
@Module({
  imports: [
    LeasesModule,
    ThrottlerModule.forRootAsync({
      imports: [LeasesModule],
      inject: [authConfig.token, SharedRedis, ROOT_LOGGER],
      useFactory: (settings: AuthSettings, redis: SharedRedis, root: Logger) =>
        rateLimits(settings, new SharedThrottlerStorage(redis, root.child({ context: 'RateLimits' }))),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    SessionTokens,
    UserDirectory,
    OidcSignIn,
    SessionGuard,
    // In this order: a flood is refused before any token is checked.
    { provide: APP_GUARD, useClass: ThrottlerGuard },
    { provide: APP_GUARD, useExisting: SessionGuard },
  ],
  exports: [SessionTokens, SessionGuard],
})
export class AuthModule {}
