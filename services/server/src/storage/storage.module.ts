import { Module } from '@nestjs/common';
import { InfluxLatestReader } from './influx-latest.reader';
import { ObservationSpool } from './observation-spool.service';
import { SpoolShipper } from './spool.shipper';

@Module({
  providers: [ObservationSpool, SpoolShipper, InfluxLatestReader],
  exports: [ObservationSpool, SpoolShipper, InfluxLatestReader],
})
export class StorageModule {}
