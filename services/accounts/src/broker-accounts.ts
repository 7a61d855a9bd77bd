import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { deviceUsername, parseDeviceUsername, type SensorAddress } from '@meetnet/contracts';
import { DEAD_LETTER_READER_USERNAME, ingestionUsername, renderAclFile } from './acl-file';
import { withFileLock, writeFileAtomic } from './atomic-file';
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

  private readonly lockFile: string;

  constructor(readonly dir: string) {
    this.passwordFile = join(dir, 'passwd');
    this.aclFile = join(dir, 'acl');
    this.lockFile = join(dir, '.lock');
  }

  /** Creates the devices, or gives existing ones a new password (which also rotates it). */
  addDevices(addresses: Iterable<SensorAddress>): IssuedCredential[] {
    return this.change((entries) => {
      const issued: IssuedCredential[] = [];
      for (const address of addresses) issued.push(issue(entries, deviceUsername(address)));
      return issued;
    });
  }

  /** Returns false when there was no such device. */
  revokeDevice(address: SensorAddress): boolean {
    return this.change((entries) => entries.delete(deviceUsername(address)));
  }

  devices(): SensorAddress[] {
    return [...readPasswordFile(this.passwordFile).keys()]
      .map(parseDeviceUsername)
      .filter((address): address is SensorAddress => address !== null);
  }

  /**
   * The ingestion service's account, with a new password each time. The broker uses the
   * username as the client id (`use_username_as_clientid`), so each instance of a scaled-out
   * service needs its own: `instance` names it.
   */
  issueIngestionCredential(instance?: string): IssuedCredential {
    return this.change((entries) => issue(entries, ingestionUsername(instance)));
  }

  /** An account that may only read the dead letters, for a technician's tool or a log shipper. */
  issueDeadLetterReader(): IssuedCredential {
    return this.change((entries) => issue(entries, DEAD_LETTER_READER_USERNAME));
  }

  /** A short-lived account that may only write (and so clear) retained meta and status. */
  issueRetainedClearer(): IssuedCredential {
    return this.change((entries) => issue(entries, `meetnet-clear-${randomBytes(4).toString('hex')}`));
  }

  remove(username: string): boolean {
    return this.change((entries) => entries.delete(username));
  }

  /** Read, change and write both files under the directory's lock, so no two changes interleave. */
  private change<T>(apply: (entries: Map<string, string>) => T): T {
    return withFileLock(this.lockFile, () => {
      const entries = readPasswordFile(this.passwordFile);
      const before = entries.size;
      const result = apply(entries);
      if (result !== false || entries.size !== before) {
        writePasswordFile(this.passwordFile, entries);
        writeFileAtomic(this.aclFile, renderAclFile(entries.keys()), 0o640);
      }
      return result;
    });
  }
}

function issue(entries: Map<string, string>, username: string): IssuedCredential {
  const credential = { username, password: generatePassword() };
  entries.set(username, hashMosquittoPassword(credential.password));
  return credential;
}
