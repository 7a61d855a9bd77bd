import { Module } from '@nestjs/common';
import { LeasesModule } from '../leases/leases.module';
import { MqttModule } from '../mqtt/mqtt.module';
import { PeerFactsRelay } from './peer-facts.relay';
import { PeerSessions } from './peer-sessions.service';

/**
 * Several instances as one (with REDIS_URL): each one's facts reach the others, and a dead
 * member's share of the ingest is taken in by a survivor.
 */
@Module({ imports: [LeasesModule, MqttModule], providers: [PeerFactsRelay, PeerSessions] })
export class ClusterModule {}
