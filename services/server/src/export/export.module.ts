import { Module } from '@nestjs/common';
import { SensorsModule } from '../sensors/sensors.module';
import { SeriesModule } from '../series/series.module';
import { ExportController } from './export.controller';

/** Exports for analysts: the series query as CSV, NDJSON or JSON, streamed. */
@Module({ imports: [SeriesModule, SensorsModule], controllers: [ExportController] })
export class ExportModule {}
