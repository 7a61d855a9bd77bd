import { Module } from '@nestjs/common';
import { InfluxSeriesReader } from './influx-series.reader';
import { ObservationSpool } from './observation-spool.service';
import { SpoolShipper } from './spool.shipper';

@Module({
  providers: [ObservationSpool, SpoolShipper, InfluxSeriesReader],
  exports: [ObservationSpool, SpoolShipper, InfluxSeriesReader],
})
export class StorageModule {}
