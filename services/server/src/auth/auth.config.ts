import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { isRole, type Role } from '@meetnet/contracts';
import { configSlice, type SettingsOf } from '../config/config-slice';

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The sign-in button's label. */
  label: string;
  scopes: string;
  /** The ID-token or userinfo claim that carries roles or groups. */
  rolesClaim: string;
  /** Claim value → Meetnet role; a value that is already a role name maps to itself. */
  roleMap: Record<string, Role>;
}

const perMinute = (description: string, maximum: number, value: number) =>
  ({ type: 'integer', description, minimum: 1, maximum, default: value }) as const;

const OIDC_PARTS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

export const authConfig = configSlice({
  name: 'auth',
  variables: {
    // Signs session cookies: 32 characters at least (256 bits of base64 or hex).
    SESSION_SECRET: {
      type: 'string',
      description: 'signs session cookies, 32+ characters; required outside development',
      minLength: 32,
    },
    // A working day; a stolen cookie is worth at most this long.
    SESSION_TTL_S: {
      type: 'integer',
      description: "a session's life; its live socket closes when it ends",
      minimum: 5,
      maximum: 86_400,
      default: 28_800,
    },
    USERS_FILE: {
      type: 'string',
      description:
        'local accounts (argon2id), managed with `npm run user:add` / `user:remove` or `/api/v1/admin/users`',
      minLength: 1,
      default: '.meetnet/users.json',
    },
    PUBLIC_URL: {
      type: 'string',
      description: 'where people open Meetnet; required with OpenID Connect; https makes the cookie `Secure`',
      pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
    },
    OIDC_ISSUER: {
      type: 'string',
      description: 'OpenID Connect sign-in: the provider (with the client id and secret, or none of them)',
      pattern: '^https?://[^\\s]+$',
    },
    OIDC_CLIENT_ID: { type: 'string', description: "Meetnet's client id at the provider", minLength: 1 },
    OIDC_CLIENT_SECRET: {
      type: 'string',
      description: "Meetnet's client secret at the provider",
      minLength: 1,
    },
    OIDC_LABEL: {
      type: 'string',
      description: "the sign-in button's text",
      minLength: 1,
      maxLength: 80,
      default: 'Aanmelden met je organisatie',
    },
    OIDC_SCOPES: {
      type: 'string',
      description: 'scopes asked for',
      pattern: '^openid( [A-Za-z0-9_:.-]+)*$',
      default: 'openid profile email',
    },
    OIDC_ROLES_CLAIM: {
      type: 'string',
      description: 'the ID-token or userinfo claim that holds roles or groups',
      pattern: '^[A-Za-z0-9_:./-]+$',
      default: 'roles',
    },
    OIDC_ROLE_MAP: {
      type: 'string',
      description:
        'how groups map to roles (`GG-Data=analyst,…`); a claim that is a role name maps to itself',
      pattern: '^[^=,\\s]+=[a-z]+(,[^=,\\s]+=[a-z]+)*$',
    },
    RATE_LIMIT_READS_PER_MIN: perMinute('API reads per client address and minute', 1_000_000, 600),
    RATE_LIMIT_LOGINS_PER_MIN: perMinute('sign-in attempts per client address and minute', 1000, 10),
    RATE_LIMIT_EXPORTS_PER_MIN: perMinute('exports per client address and minute', 1000, 10),
    RATE_LIMIT_PUBLIC_PER_MIN: perMinute(
      'public map reads (no sign-in) per client address and minute',
      1_000_000,
      120,
    ),
  },
  check: (env, { nodeEnv, given }) => {
    const problems: string[] = [];
    if (nodeEnv !== 'development' && !env.SESSION_SECRET) {
      problems.push('SESSION_SECRET=(unset): is required outside development');
    }
    const oidcSet = OIDC_PARTS.filter((name) => given[name] !== undefined);
    if (oidcSet.length > 0 && oidcSet.length < OIDC_PARTS.length) {
      for (const name of OIDC_PARTS.filter((n) => given[n] === undefined)) {
        problems.push(`${name}=(unset): is required with ${oidcSet.join(', ')}`);
      }
    }
    if (oidcSet.length > 0 && !env.PUBLIC_URL) {
      problems.push(
        'PUBLIC_URL=(unset): is required with OpenID Connect (the provider redirects back to it)',
      );
    }
    for (const pair of env.OIDC_ROLE_MAP?.split(',') ?? []) {
      const role = pair.split('=')[1];
      if (!isRole(role)) problems.push(`OIDC_ROLE_MAP=${env.OIDC_ROLE_MAP}: "${role}" is not a Meetnet role`);
    }
    return problems;
  },
  settings: (env) => ({
    // Development only (the check refuses a missing secret elsewhere): sessions end at restart.
    sessionSecret: env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    sessionTtlS: env.SESSION_TTL_S,
    /** Set when the dashboard is served over https (PUBLIC_URL). */
    cookieSecure: env.PUBLIC_URL?.startsWith('https://') ?? false,
    usersFile: resolve(env.USERS_FILE),
    /** The URL people open, such as https://meetnet.leuven.be; OpenID Connect redirects back to it. */
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
    oidc:
      env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
        ? ({
            issuer: env.OIDC_ISSUER,
            clientId: env.OIDC_CLIENT_ID,
            clientSecret: env.OIDC_CLIENT_SECRET,
            label: env.OIDC_LABEL,
            scopes: env.OIDC_SCOPES,
            rolesClaim: env.OIDC_ROLES_CLAIM,
            roleMap: parseRoleMap(env.OIDC_ROLE_MAP),
          } satisfies OidcConfig)
        : undefined,
    rateLimits: {
      readsPerMinute: env.RATE_LIMIT_READS_PER_MIN,
      loginsPerMinute: env.RATE_LIMIT_LOGINS_PER_MIN,
      exportsPerMinute: env.RATE_LIMIT_EXPORTS_PER_MIN,
      publicPerMinute: env.RATE_LIMIT_PUBLIC_PER_MIN,
    },
  }),
});

function parseRoleMap(raw: string | undefined): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of raw?.split(',') ?? []) {
    const [claim, role] = pair.split('=') as [string, string];
    if (isRole(role)) map[claim] = role;
  }
  return map;
}

export type AuthSettings = SettingsOf<typeof authConfig>;
