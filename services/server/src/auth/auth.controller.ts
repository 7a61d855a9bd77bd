import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthOptions, ROLES, type SessionUser } from '@meetnet/contracts';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { authConfig, type AuthSettings } from './auth.config';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { Public, Roles, SESSION_COOKIE } from './access-policy';
import { OIDC_CALLBACK_PATH, OidcSignIn, OidcSignInError } from './oidc-sign-in.service';
import { RateLimited } from './rate-limits';
import { bodyValidator } from './request-body';
import { sessionCookieOptions } from './session-cookie';
import { type AuthenticatedRequest, SessionGuard } from './session.guard';
import { type Session, SessionTokens } from './session-tokens.service';
import { UserDirectory } from './user-directory.service';

const PENDING_COOKIE = 'meetnet_oidc';

interface LoginBody {
  name: string;
  password: string;
}
const validateLogin = bodyValidator<LoginBody>({
  type: 'object',
  additionalProperties: false,
  required: ['name', 'password'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
  },
});

const sessionUser = ({ name, roles, provider, expiresAt }: Session): SessionUser => ({
  name,
  roles,
  provider,
  expiresAt,
});

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  private readonly logger: Logger;

  constructor(
    @InjectConfig(authConfig) private readonly settings: AuthSettings,
    private readonly tokens: SessionTokens,
    private readonly users: UserDirectory,
    private readonly oidc: OidcSignIn,
    private readonly guard: SessionGuard,
    private readonly events: PipelineEventBus,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: AuthController.name });
  }

  @Get('options')
  @Public()
  @ApiOperation({ summary: 'How one can sign in here: local accounts, an OpenID Connect provider' })
  options(): AuthOptions {
    return { local: this.users.hasAny(), oidc: this.oidc.label ? { label: this.oidc.label } : null };
  }

  @Post('login')
  @Public()
  @RateLimited('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a local account; sets an httpOnly session cookie' })
  async login(@Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<SessionUser> {
    const { name, password } = validateLogin(body);
    const user = await this.users.store.verify(name, password);
    if (!user) {
      this.logger.warn({ name }, 'sign-in refused: wrong name or password');
      throw new UnauthorizedException('Wrong name or password');
    }
    const { token, session } = this.tokens.issue(user.name, [user.role], 'local');
    response.cookie(SESSION_COOKIE, token, sessionCookieOptions(this.settings, this.settings.sessionTtlS));
    this.logger.info({ name, roles: session.roles }, 'signed in');
    return sessionUser(session);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Ends the session (also for the live connection) and clears the cookie' })
  logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    const session = this.guard.sessionOf(request);
    if (session) {
      this.tokens.end(session);
      this.events.emit('session.ended', { sessionId: session.id, expiresAt: session.expiresAt });
    }
    response.clearCookie(SESSION_COOKIE, { ...sessionCookieOptions(this.settings, 0), maxAge: undefined });
  }

  @Get('me')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who is signed in, with which roles, until when' })
  @ApiOkResponse({ description: '{ name, roles, provider, expiresAt }' })
  me(@Req() request: AuthenticatedRequest): SessionUser {
    return sessionUser(request.meetnetSession!);
  }

  @Get('oidc/login')
  @Public()
  @RateLimited('login')
  @ApiOperation({ summary: "Redirects to the municipality's OpenID Connect provider" })
  async oidcLogin(@Res() response: Response): Promise<void> {
    if (!this.oidc.label) {
      response.redirect(303, '/#/login?error=off');
      return;
    }
    try {
      const { url, pending } = await this.oidc.start();
      // Lax, not Strict: the provider's redirect back is a cross-site navigation.
      response.cookie(PENDING_COOKIE, pending, {
        ...sessionCookieOptions(this.settings, 600),
        sameSite: 'lax',
        path: OIDC_CALLBACK_PATH,
      });
      response.redirect(303, url);
    } catch (error) {
      this.logger.error({ err: error }, 'OpenID Connect provider unreachable');
      response.redirect(303, '/#/login?error=unreachable');
    }
  }

  @Get('oidc/callback')
  @Public()
  @RateLimited('login')
  @ApiOperation({ summary: 'Where the OpenID Connect provider sends the browser back' })
  async oidcCallback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const cookies = request.cookies as Record<string, string> | undefined;
    response.clearCookie(PENDING_COOKIE, { path: OIDC_CALLBACK_PATH });
    try {
      const callbackUrl = new URL(request.originalUrl, this.settings.publicUrl);
      const identity = await this.oidc.finish(callbackUrl, cookies?.[PENDING_COOKIE]);
      const { token, session } = this.tokens.issue(identity.name, identity.roles, this.settings.oidc!.issuer);
      response.cookie(SESSION_COOKIE, token, sessionCookieOptions(this.settings, this.settings.sessionTtlS));
      this.logger.info({ name: session.name, roles: session.roles }, 'signed in through OpenID Connect');
      response.redirect(303, '/#/');
    } catch (error) {
      if (!(error instanceof OidcSignInError)) throw error;
      this.logger.warn({ reason: error.message }, 'OpenID Connect sign-in refused');
      response.redirect(303, `/#/login?error=${error.code}`);
    }
  }
}
