import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { isRole, type Role } from '@meetnet/contracts';
import type { Logger } from 'pino';
import type { OidcConfig } from './auth.config';
import { InjectConfig } from '../config/config-slice';
import { authConfig, type AuthSettings } from './auth.config';
import { ROOT_LOGGER } from '../logging/logging.module';

// openid-client is an ES module; the service is CommonJS, so it is loaded with import().
import type * as OpenIdClientModule from 'openid-client' with { 'resolution-mode': 'import' };

type OpenIdClient = typeof OpenIdClientModule;
type OidcConfiguration = OpenIdClientModule.Configuration;

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';

/** What travels through the browser between the redirect and the callback, signed. */
interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
}

export interface OidcIdentity {
  name: string;
  roles: Role[];
}

/** Why a sign-in failed, as a code the dashboard words for the person (in their language). */
export type OidcFailure = 'expired' | 'refused' | 'no_role' | 'off';

export class OidcSignInError extends Error {
  constructor(
    readonly code: OidcFailure,
    message: string,
  ) {
    super(message);
  }
}

/**
 * OpenID Connect authorization-code flow with PKCE, state and nonce (openid-client). The
 * municipality's identity provider says who someone is; its roles or groups claim, through
 * OIDC_ROLE_MAP, says what they may do here.
 */
@Injectable()
export class OidcSignIn {
  private readonly oidc: OidcConfig | undefined;
  private readonly redirectUri: string;
  private readonly pendingTokens: JwtService;
  private readonly logger: Logger;
  private discovered: Promise<{ lib: OpenIdClient; configuration: OidcConfiguration }> | undefined;

  constructor(@InjectConfig(authConfig) settings: AuthSettings, @Inject(ROOT_LOGGER) root: Logger) {
    this.oidc = settings.oidc;
    this.redirectUri = `${settings.publicUrl ?? ''}${OIDC_CALLBACK_PATH}`;
    this.pendingTokens = new JwtService({
      secret: settings.sessionSecret,
      signOptions: { algorithm: 'HS256', expiresIn: 600, audience: 'oidc-pending' },
      verifyOptions: { algorithms: ['HS256'], audience: 'oidc-pending' },
    });
    this.logger = root.child({ context: OidcSignIn.name });
  }

  get label(): string | undefined {
    return this.oidc?.label;
  }

  /** The provider's authorization URL, and the signed value to keep in a cookie until the callback. */
  async start(): Promise<{ url: string; pending: string }> {
    const { lib, configuration } = await this.discover();
    const pending: PendingSignIn = {
      verifier: lib.randomPKCECodeVerifier(),
      state: lib.randomState(),
      nonce: lib.randomNonce(),
    };
    const url = lib.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: this.settings().scopes,
      code_challenge: await lib.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending: this.pendingTokens.sign({ ...pending }) };
  }

  /** Exchanges the code for tokens and reads the identity; throws OidcSignInError for the user. */
  async finish(callbackUrl: URL, pendingToken: string | undefined): Promise<OidcIdentity> {
    let pending: PendingSignIn;
    try {
      pending = this.pendingTokens.verify<PendingSignIn>(pendingToken ?? '');
    } catch {
      throw new OidcSignInError('expired', 'sign-in expired or started elsewhere');
    }
    const { lib, configuration } = await this.discover();
    let claims: Record<string, unknown>;
    try {
      const tokens = await lib.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      claims = { ...tokens.claims() };
      const subject = claims['sub'];
      if (claims[this.settings().rolesClaim] === undefined && typeof subject === 'string') {
        Object.assign(claims, await lib.fetchUserInfo(configuration, tokens.access_token, subject));
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'OpenID Connect sign-in failed');
      throw new OidcSignInError('refused', 'the identity provider did not confirm the sign-in');
    }
    const name = [claims['preferred_username'], claims['email'], claims['sub']].find(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    const roles = this.rolesFrom(claims[this.settings().rolesClaim]);
    if (!name || roles.length === 0) throw new OidcSignInError('no_role', 'no Meetnet role for this account');
    return { name, roles };
  }

  rolesFrom(claim: unknown): Role[] {
    const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
    const roles = new Set<Role>();
    for (const value of values) {
      if (typeof value !== 'string') continue;
      const role = this.settings().roleMap[value] ?? (isRole(value) ? value : undefined);
      if (role) roles.add(role);
    }
    return [...roles];
  }

  private settings(): OidcConfig {
    if (!this.oidc) throw new OidcSignInError('off', 'OpenID Connect is not configured');
    return this.oidc;
  }

  private discover(): Promise<{ lib: OpenIdClient; configuration: OidcConfiguration }> {
    const settings = this.settings();
    this.discovered ??= (async () => {
      const lib = await import('openid-client');
      const issuer = new URL(settings.issuer);
      // Plain http only for a provider on this machine (development, tests); never across a network.
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      const configuration = await lib.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        undefined,
        loopback ? { execute: [lib.allowInsecureRequests] } : undefined,
      );
      return { lib, configuration };
    })();
    // A provider that was down at the first attempt is asked again next time.
    this.discovered.catch(() => (this.discovered = undefined));
    return this.discovered;
  }
}
