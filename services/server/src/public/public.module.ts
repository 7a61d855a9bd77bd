import { Module } from '@nestjs/common';
import { InfluxModule } from '../influx/influx.module';
import { SensorsModule } from '../sensors/sensors.module';
import { SeriesModule } from '../series/series.module';
import { HourlyValuesReader } from './hourly-values.reader';
import { PublicMapService } from './public-map.service';
import { PublicController } from './public.controller';

/** The public map's API: what residents see without signing in. */
@Module({
  imports: [SensorsModule, SeriesModule, InfluxModule],
  controllers: [PublicController],
  providers: [HourlyValuesReader, PublicMapService],
  exports: [PublicMapService, HourlyValuesReader],
})
export class PublicModule {}
