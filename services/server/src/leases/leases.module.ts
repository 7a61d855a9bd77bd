import { Module } from '@nestjs/common';
import { JobLeases } from './job-lease.service';

/** Which instance runs each scheduled job. */
@Module({ providers: [JobLeases], exports: [JobLeases] })
export class LeasesModule {}
