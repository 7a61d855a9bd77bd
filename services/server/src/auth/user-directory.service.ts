import { statSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { type LocalUser, LocalUserStore } from '@meetnet/accounts';
import type { Role } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { authConfig, type AuthSettings } from './auth.config';

/**
 * Local accounts, re-read when the file changes, so `npm run user:remove` (or an admin's
 * DELETE) ends that user's sessions at their next request instead of at their expiry.
 */
@Injectable()
export class UserDirectory {
  readonly store: LocalUserStore;
  private cached: { mtimeMs: number; users: Map<string, LocalUser> } | undefined;

  constructor(@InjectConfig(authConfig) settings: AuthSettings) {
    this.store = new LocalUserStore(settings.usersFile);
  }

  /** False when the local user is gone or no longer has every one of these roles. */
  /**
   * The user still exists with the same role, and was not added again (a password reset)
   * after the session began: a reset must end the sessions of whoever knew the old password.
   */
  stillHolds(name: string, roles: readonly Role[], issuedAtS: number): boolean {
    const user = this.users().get(name);
    if (user === undefined || !roles.every((role) => role === user.role)) return false;
    // Token times are whole seconds: a session signed in the second the account was made holds.
    return (issuedAtS + 1) * 1000 > Date.parse(user.createdAt);
  }

  hasAny(): boolean {
    return this.users().size > 0;
  }

  private users(): Map<string, LocalUser> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.store.file).mtimeMs;
    } catch {
      return new Map();
    }
    if (this.cached?.mtimeMs !== mtimeMs) {
      this.cached = { mtimeMs, users: new Map(this.store.list().map((user) => [user.name, user])) };
    }
    return this.cached.users;
  }
}
