import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { SensorRegistry } from './sensor-registry.service';
import { SensorsController } from './sensors.controller';

@Module({
  imports: [StorageModule],
  controllers: [SensorsController],
  providers: [SensorRegistry],
  exports: [SensorRegistry],
})
export class SensorsModule {}
