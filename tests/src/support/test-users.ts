import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalUserStore } from '@meetnet/accounts';
import { ROLES, type Role } from '@meetnet/contracts';

/** One local account per role, `<role>-test`, all with this password. */
export const TEST_PASSWORD = 'correct horse battery staple';
export const testUserName = (role: Role) => `${role}-test`;

let usersFile: Promise<string> | undefined;

/** The users file every test service reads (argon2 is slow on purpose, so it is made once). */
export function testUsersFile(): Promise<string> {
  usersFile ??= (async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meetnet-users-')), 'users.json');
    const store = new LocalUserStore(file);
    for (const role of ROLES) await store.add(testUserName(role), role, TEST_PASSWORD);
    if (!existsSync(file)) throw new Error(`no users file at ${file}`);
    return file;
  })();
  return usersFile;
}

/** Signs in through the API; returns the `Cookie` header value for later requests. */
export async function signIn(baseUrl: string, role: Role): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: testUserName(role), password: TEST_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in as ${role}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('meetnet_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0]!;
}
