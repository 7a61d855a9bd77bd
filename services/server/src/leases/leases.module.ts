import { Module } from '@nestjs/common';
import { JobLeases } from './job-lease.service';
import { SharedRedis } from './shared-redis.service';

/** Which instance runs each scheduled job, and the Redis that instances share. */
@Module({ providers: [SharedRedis, JobLeases], exports: [SharedRedis, JobLeases] })
export class LeasesModule {}
