import { Module } from '@nestjs/common';
import { InfluxConnection } from './influx-connection.service';

/** InfluxDB, reached from one place. */
@Module({
  providers: [InfluxConnection],
  exports: [InfluxConnection],
})
export class InfluxModule {}
