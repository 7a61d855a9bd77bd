import { Module } from '@nestjs/common';
import { LeasesModule } from '../leases/leases.module';
import { PeerFactsRelay } from './peer-facts.relay';

/** Several instances as one: each one's facts reach the others (with REDIS_URL). */
@Module({ imports: [LeasesModule], providers: [PeerFactsRelay] })
export class ClusterModule {}
