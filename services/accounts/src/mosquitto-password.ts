import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Mosquitto 2's password hash (`$7$`): PBKDF2-HMAC-SHA512, 101 iterations as mosquitto_passwd
 * writes them, a 12-byte salt, all base64. Written here so provisioning needs no Mosquitto
 * binary and hashes thousands of devices without a process each.
 */
const ITERATIONS = 101;
const SALT_BYTES = 12;
const KEY_BYTES = 64;

export function hashMosquittoPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const key = pbkdf2Sync(password, salt, ITERATIONS, KEY_BYTES, 'sha512');
  return `$7$${ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyMosquittoPassword(password: string, hash: string): boolean {
  const match = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (!match) return false;
  const expected = Buffer.from(match[3]!, 'base64');
  const key = pbkdf2Sync(
    password,
    Buffer.from(match[2]!, 'base64'),
    Number(match[1]),
    expected.length,
    'sha512',
  );
  return timingSafeEqual(key, expected);
}

/** 24 random bytes, URL-safe: strong enough that a device password is never the weak link. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}
