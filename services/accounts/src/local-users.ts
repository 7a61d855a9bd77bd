import { existsSync, readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { isRole, type Role } from '@meetnet/contracts';
import { writeFileAtomic } from './atomic-file';

export interface LocalUser {
  name: string;
  role: Role;
  /** argon2id, PHC string. */
  passwordHash: string;
  createdAt: string;
}

export const USER_NAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
/** Long enough that an offline guess is hopeless even before argon2's cost. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Local accounts for small set-ups, in one JSON file. Passwords are argon2id-hashed with the
 * library's defaults (OWASP's minimum: 19 MiB, 2 passes); the plain text is never stored.
 */
export class LocalUserStore {
  constructor(readonly file: string) {}

  list(): LocalUser[] {
    if (!existsSync(this.file)) return [];
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as { users?: unknown };
    if (!Array.isArray(parsed.users)) throw new Error(`${this.file}: expected {"users": [...]}`);
    return parsed.users.filter(isLocalUser);
  }

  find(name: string): LocalUser | undefined {
    return this.list().find((user) => user.name === name);
  }

  async add(name: string, role: Role, password: string): Promise<LocalUser> {
    if (!USER_NAME_PATTERN.test(name)) {
      throw new Error(`user name "${name}": lower-case letters, digits and . _ @ -, 2–64 characters`);
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new Error(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const user: LocalUser = {
      name,
      role,
      passwordHash: await hash(password),
      createdAt: new Date().toISOString(),
    };
    this.save([...this.list().filter((existing) => existing.name !== name), user]);
    return user;
  }

  remove(name: string): boolean {
    const users = this.list();
    const kept = users.filter((user) => user.name !== name);
    if (kept.length === users.length) return false;
    this.save(kept);
    return true;
  }

  /** The user, when the password is right; undefined for a wrong password or an unknown name. */
  async verify(name: string, password: string): Promise<LocalUser | undefined> {
    const user = this.find(name);
    if (!user) {
      // Spend the same time as a real check, so response times do not reveal which names exist.
      await verify(DUMMY_HASH, password).catch(() => false);
      return undefined;
    }
    return (await verify(user.passwordHash, password)) ? user : undefined;
  }

  private save(users: LocalUser[]): void {
    writeFileAtomic(this.file, `${JSON.stringify({ users }, null, 2)}\n`, 0o600);
  }
}

const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$Rjs9OIshJNI+Rrpe2LkmlQ$YXM1BvA9vgx4Hs3qzYkN5wWyL00YHYW9vkJDt6W0xC0';

function isLocalUser(value: unknown): value is LocalUser {
  if (typeof value !== 'object' || value === null) return false;
  const user = value as Record<string, unknown>;
  return typeof user['name'] === 'string' && isRole(user['role']) && typeof user['passwordHash'] === 'string';
}
