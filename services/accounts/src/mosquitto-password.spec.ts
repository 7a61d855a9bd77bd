import { generatePassword, hashMosquittoPassword, verifyMosquittoPassword } from './mosquitto-password';

// Written by `mosquitto_passwd -b` (Mosquitto 2.0.11) for the password "correct horse".
const FROM_MOSQUITTO_PASSWD =
  '$7$101$ITmlHGo8rflAcnK9$e9Wbaoj1ary3ViFZ1klWfPwe1AefdROLuU4mcDVEyCv7xZGKnJo383wNyOiYHvMPzHm9JSmORV2oy78VqclP/A==';

describe('Mosquitto password hashes', () => {
  it('verifies a hash written by mosquitto_passwd, and refuses a wrong password', () => {
    expect(verifyMosquittoPassword('correct horse', FROM_MOSQUITTO_PASSWD)).toBe(true);
    expect(verifyMosquittoPassword('correct horse!', FROM_MOSQUITTO_PASSWD)).toBe(false);
  });

  it('writes the same hash as mosquitto_passwd for the same salt', () => {
    const salt = Buffer.from('ITmlHGo8rflAcnK9', 'base64');
    expect(hashMosquittoPassword('correct horse', salt)).toBe(FROM_MOSQUITTO_PASSWD);
  });

  it('salts every hash anew', () => {
    const password = generatePassword();
    const [a, b] = [hashMosquittoPassword(password), hashMosquittoPassword(password)];
    expect(a).not.toBe(b);
    expect(verifyMosquittoPassword(password, a) && verifyMosquittoPassword(password, b)).toBe(true);
  });

  it('generates passwords with 192 bits of randomness and no characters a shell or URL would mangle', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
