import type { CookieOptions } from 'express';
import type { AuthSettings } from './auth.config';
import { SESSION_COOKIE } from './access-policy';

/** httpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over https. */
export function sessionCookieOptions(settings: AuthSettings, maxAgeS: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.cookieSecure,
    path: '/',
    maxAge: maxAgeS * 1000,
  };
}

/** The session cookie from a raw `Cookie` header, as socket.io's handshake carries it. */
export function sessionCookieFrom(header: string | undefined): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === SESSION_COOKIE) {
      return decodeURIComponent(part.slice(separator + 1).trim());
    }
  }
  return undefined;
}
