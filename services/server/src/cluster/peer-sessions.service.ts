import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { SharedRedis } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { mqttConfig, type MqttSettings } from '../mqtt/mqtt.config';
import { MqttConnection, type TakenOverSession } from '../mqtt/mqtt-connection.service';

/** An instance silent this long is taken for dead... */
const ALIVE_TTL_MS = 6000;
/** ...and every instance says it lives, and looks at the others, this often. */
const BEAT_MS = 2000;

/**
 * A dead member of the share group still gets its share: Mosquitto (2.0) keeps queueing it in
 * the member's persistent session until the member returns or the session expires, so a
 * sensor whose messages fall to it looks silent. Each instance keeps a short-lived "alive" key
 * in Redis; when a member's key lapses, one survivor (under a lease) connects with that
 * member's client id and takes in the queue and the share through its own spool, until the
 * member connects again and the broker hands the session back. Nothing is acknowledged that
 * is not in a survivor's spool, so nothing is lost either way.
 */
@Injectable()
export class PeerSessions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly token = randomUUID();
  private readonly logger: Logger;
  private readonly taken = new Map<string, TakenOverSession>();
  /** A member that took its session back is not taken over again before its first beat. */
  private readonly handedBack = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly mqtt: MqttConnection,
    @InjectConfig(mqttConfig) private readonly settings: MqttSettings,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: PeerSessions.name });
  }

  private get enabled(): boolean {
    const { shareGroup, url, takeOverSessions } = this.settings;
    return this.redis.enabled && shareGroup !== undefined && url !== undefined && takeOverSessions;
  }

  private key(...parts: string[]): string {
    return this.redis.key('share-group', this.settings.shareGroup!, ...parts);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), BEAT_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.taken.values()].map((session) => session.end()));
  }

  private async beat(): Promise<void> {
    // While Redis is away a beat waits; the next ones do not pile up behind it.
    if (this.busy || !this.redis.ready) return;
    this.busy = true;
    try {
      const client = await this.redis.connected();
      const me = this.settings.clientId;
      await client
        .multi()
        .set(this.key('alive', me), this.token, { PX: ALIVE_TTL_MS })
        .sAdd(this.key('members'), me)
        .exec();
      for (const member of await client.sMembers(this.key('members'))) {
        if (member === me) continue;
        const alive = (await client.exists(this.key('alive', member))) === 1;
        const ours = this.taken.get(member);
        if (ours && alive) {
          this.logger.info({ member }, 'instance is back: handing its session back');
          await ours.end();
        } else if (ours) {
          await client.set(this.key('taking-over', member), this.token, { PX: ALIVE_TTL_MS });
        } else if (!alive && (this.handedBack.get(member) ?? 0) < Date.now()) {
          const won = await client.set(this.key('taking-over', member), this.token, {
            NX: true,
            PX: ALIVE_TTL_MS,
          });
          if (won === 'OK') await this.takeOver(member);
        }
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'share-group check failed; trying again');
    } finally {
      this.busy = false;
    }
  }

  private async takeOver(member: string): Promise<void> {
    let session: TakenOverSession;
    try {
      session = await this.mqtt.takeOverSession(member);
    } catch (error) {
      this.logger.warn({ err: error, member }, 'could not take over a silent instance’s session');
      return;
    }
    if (!session.sessionPresent) {
      // Gone with its session (expired): nothing waits for it, and it is no member any more.
      const client = await this.redis.connected();
      await client.sRem(this.key('members'), member);
      this.logger.info({ member }, 'silent instance has no session left: removed from the share group');
      return;
    }
    this.logger.warn(
      { member },
      'instance is silent: this one takes in what the broker queues for it until it is back',
    );
    this.taken.set(member, session);
    void session.closed.then(() => {
      this.taken.delete(member);
      this.handedBack.set(member, Date.now() + ALIVE_TTL_MS);
      this.logger.info({ member }, 'taken-over session closed');
    });
  }
}
