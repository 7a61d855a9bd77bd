import { Module } from '@nestjs/common';
import { SeriesController } from './series.controller';
import { SeriesReader } from './series-reader';
import { SeriesService } from './series.service';

/** Series for analysts: any sensors and fields, windows and aggregates, in local time. */
@Module({
  controllers: [SeriesController],
  providers: [SeriesReader, SeriesService],
  exports: [SeriesService],
})
export class SeriesModule {}
