import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalUserStore } from './local-users';

describe('LocalUserStore', () => {
  const store = () => new LocalUserStore(join(mkdtempSync(join(tmpdir(), 'meetnet-users-')), 'users.json'));

  it('keeps only an argon2id hash, readable by the owner alone, and verifies against it', async () => {
    const users = store();
    await users.add('anna', 'analyst', 'a long enough password');
    const file = readFileSync(users.file, 'utf8');
    expect(file).not.toContain('a long enough password');
    expect(file).toContain('$argon2id$');
    expect(statSync(users.file).mode & 0o777).toBe(0o600);
    expect(await users.verify('anna', 'a long enough password')).toMatchObject({
      name: 'anna',
      role: 'analyst',
    });
    expect(await users.verify('anna', 'a long enough passworD')).toBeUndefined();
    expect(await users.verify('bert', 'a long enough password')).toBeUndefined();
  });

  it('replaces a user of the same name and removes one', async () => {
    const users = store();
    await users.add('anna', 'analyst', 'a long enough password');
    await users.add('anna', 'admin', 'another long password');
    expect(users.list().map((u) => [u.name, u.role])).toEqual([['anna', 'admin']]);
    expect(users.remove('anna')).toBe(true);
    expect(users.remove('anna')).toBe(false);
    expect(users.list()).toEqual([]);
  });

  it('refuses short passwords and names that are not plain', async () => {
    const users = store();
    await expect(users.add('anna', 'officer', 'short')).rejects.toThrow('password: at least 12 characters');
    await expect(users.add('Anna Smith', 'officer', 'a long enough password')).rejects.toThrow(/user name/);
  });
});
