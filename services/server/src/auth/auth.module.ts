import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { authConfig, type AuthSettings } from './auth.config';
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
    ThrottlerModule.forRootAsync({
      inject: [authConfig.token],
      useFactory: (settings: AuthSettings) => rateLimits(settings),
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
