import { Module } from '@nestjs/common';
import { InfluxModule } from '../influx/influx.module';
import { RollupsModule } from '../rollups/rollups.module';
import { SensorRegistryModule } from '../sensors/sensor-registry.module';
import { QuerySlots } from './query-slots';
import { SeriesController } from './series.controller';
import { SeriesReader } from './series-reader';
import { SeriesService } from './series.service';

/** Series for analysts: any sensors and fields, windows and aggregates, in local time. */
@Module({
  imports: [SensorRegistryModule, InfluxModule, RollupsModule],
  controllers: [SeriesController],
  providers: [SeriesReader, SeriesService, QuerySlots],
  exports: [SeriesService, QuerySlots],
})
export class SeriesModule {}
