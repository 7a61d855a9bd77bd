import type { AuthOptions, SessionUser } from '@contracts/roles';

export class SignInError extends Error {
  constructor(readonly status: number) {
    super(`sign-in refused (${status})`);
  }
}

const json = { 'Content-Type': 'application/json' };

/** The signed-in user, or null when there is no valid session. */
export async function fetchSessionUser(): Promise<SessionUser | null> {
  const response = await fetch('/api/v1/auth/me');
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return (await response.json()) as SessionUser;
}

export async function fetchAuthOptions(): Promise<AuthOptions> {
  const response = await fetch('/api/v1/auth/options');
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
  return (await response.json()) as AuthOptions;
}

export async function signIn(name: string, password: string): Promise<SessionUser> {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name, password }),
  });
  if (!response.ok) throw new SignInError(response.status);
  return (await response.json()) as SessionUser;
}

export async function signOut(): Promise<void> {
  await fetch('/api/v1/auth/logout', { method: 'POST' });
}

/** Where the browser goes to sign in with the municipality's identity provider. */
export const OIDC_SIGN_IN_URL = '/api/v1/auth/oidc/login';
