import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { InfluxModule } from '../influx/influx.module';
import { LeasesModule } from '../leases/leases.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { RollupCoverageState } from './rollup-coverage';
import { RollupJob } from './rollup-job.service';
import { RollupStore } from './rollup-store';

/** Hourly and daily rollups for long-range queries: made on a schedule, once, read by the series API. */
@Module({
  imports: [ScheduleModule.forRoot(), InfluxModule, LeasesModule, SensorRegistryModule],
  providers: [RollupStore, RollupCoverageState, RollupJob],
  exports: [RollupStore, RollupCoverageState],
})
export class RollupsModule {}
