import { Module } from '@nestjs/common';
import { SeriesModule } from '../series/series.module';
import { SensorRegistryModule } from './sensor-registry.module';
import { SensorsController } from './sensors.controller';

@Module({
  imports: [SensorRegistryModule, SeriesModule],
  controllers: [SensorsController],
  exports: [SensorRegistryModule],
})
export class SensorsModule {}
