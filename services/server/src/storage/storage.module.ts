import { Module } from '@nestjs/common';
import { InfluxModule } from '../influx/influx.module';
import { InfluxLatestReader } from './influx-latest.reader';
import { ObservationSpool } from './observation-spool.service';
import { SpoolShipper } from './spool.shipper';

@Module({
  imports: [InfluxModule],
  providers: [ObservationSpool, SpoolShipper, InfluxLatestReader],
  exports: [ObservationSpool, SpoolShipper, InfluxLatestReader],
})
export class StorageModule {}
