import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { SensorRegistry } from './sensor-registry.service';
import { SensorRegistryRestorer } from './sensor-registry.restorer';
import { SensorsController } from './sensors.controller';

@Module({
  imports: [StorageModule],
  controllers: [SensorsController],
  providers: [SensorRegistry, SensorRegistryRestorer],
  exports: [SensorRegistry],
})
export class SensorsModule {}
