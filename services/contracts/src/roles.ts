/**
 * The people who use Meetnet. Each REST route and each live subscription names the roles it
 * admits; nothing is open to a signed-in user merely for being signed in.
 */
export const ROLES = ['officer', 'analyst', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Watching the live map and reading sensors: every role. */
export const WATCH_ROLES: readonly Role[] = ROLES;
/** Downloading series in bulk. */
export const EXPORT_ROLES: readonly Role[] = ['analyst', 'admin'];
/** Device details: battery, signal, firmware, problems. */
export const DEVICE_ROLES: readonly Role[] = ['technician', 'admin'];
/** Managing devices and users. */
export const ADMIN_ROLES: readonly Role[] = ['admin'];

/** What `GET /api/v1/auth/me` answers. */
export interface SessionUser {
  name: string;
  roles: Role[];
  /** `local` or the OpenID Connect issuer. */
  provider: string;
  /** Epoch seconds at which the session ends. */
  expiresAt: number;
}

/** What the login page needs to know before anyone signs in. */
export interface AuthOptions {
  local: boolean;
  /** The label of the OpenID Connect button, or null when none is configured. */
  oidc: { label: string } | null;
}
