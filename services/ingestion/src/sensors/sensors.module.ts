import { Module } from '@nestjs/common';
import { SeriesModule } from '../series/series.module';
import { StorageModule } from '../storage/storage.module';
import { SensorRegistry } from './sensor-registry.service';
import { SensorRegistryRestorer } from './sensor-registry.restorer';
import { SensorsController } from './sensors.controller';

@Module({
  imports: [StorageModule, SeriesModule],
  controllers: [SensorsController],
  providers: [SensorRegistry, SensorRegistryRestorer],
  exports: [SensorRegistry],
})
export class SensorsModule {}
