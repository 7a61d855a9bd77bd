import { join } from 'node:path';
import { deviceUsername, parseDeviceUsername, type SensorAddress } from '@meetnet/contracts';
import { INGESTION_USERNAME, renderAclFile } from './acl-file';
import { writeFileAtomic } from './atomic-file';
import { generatePassword, hashMosquittoPassword } from './mosquitto-password';
import { readPasswordFile, writePasswordFile } from './password-file';

export interface IssuedCredential {
  username: string;
  /** Plain text, returned once; only its hash is kept. */
  password: string;
}

/**
 * The broker's accounts in one directory: `passwd` (Mosquitto password file) and `acl`
 * (rendered from it). Every change rewrites both, so they never disagree.
 */
export class BrokerAccounts {
  readonly passwordFile: string;
  readonly aclFile: string;

  constructor(readonly dir: string) {
    this.passwordFile = join(dir, 'passwd');
    this.aclFile = join(dir, 'acl');
  }

  /** Creates the devices, or gives existing ones a new password (which also rotates it). */
  addDevices(addresses: Iterable<SensorAddress>): IssuedCredential[] {
    const entries = readPasswordFile(this.passwordFile);
    const issued: IssuedCredential[] = [];
    for (const address of addresses) {
      const credential = { username: deviceUsername(address), password: generatePassword() };
      entries.set(credential.username, hashMosquittoPassword(credential.password));
      issued.push(credential);
    }
    this.save(entries);
    return issued;
  }

  /** Returns false when there was no such device. */
  revokeDevice(address: SensorAddress): boolean {
    const entries = readPasswordFile(this.passwordFile);
    const removed = entries.delete(deviceUsername(address));
    if (removed) this.save(entries);
    return removed;
  }

  devices(): SensorAddress[] {
    return [...readPasswordFile(this.passwordFile).keys()]
      .map(parseDeviceUsername)
      .filter((address): address is SensorAddress => address !== null);
  }

  /** The ingestion service's account, with a new password each time. */
  issueIngestionCredential(): IssuedCredential {
    const entries = readPasswordFile(this.passwordFile);
    const credential = { username: INGESTION_USERNAME, password: generatePassword() };
    entries.set(credential.username, hashMosquittoPassword(credential.password));
    this.save(entries);
    return credential;
  }

  private save(entries: Map<string, string>): void {
    writePasswordFile(this.passwordFile, entries);
    writeFileAtomic(this.aclFile, renderAclFile(entries.keys()), 0o640);
  }
}
