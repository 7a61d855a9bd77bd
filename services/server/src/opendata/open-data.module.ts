import { Module } from '@nestjs/common';
import { PublicModule } from '../public/public.module';
import { SensorsModule } from '../sensors/sensors.module';
import { SeriesModule } from '../series/series.module';
import { HourPages } from './ldes/hour-pages.service';
import { LdesController } from './ldes/ldes.controller';
import { NgsiLdController } from './ngsi-ld/ngsi-ld.controller';
import { OpenDataHeaders } from './open-data-headers';
import { OpenReadings } from './open-readings.service';
import { SensorThingsController } from './sensorthings/sensorthings.controller';

/** The city's public data in the open standards partners ask for (docs/open-data.md). */
@Module({
  imports: [PublicModule, SeriesModule, SensorsModule],
  controllers: [NgsiLdController, SensorThingsController, LdesController],
  providers: [OpenReadings, OpenDataHeaders, HourPages],
})
export class OpenDataModule {}
