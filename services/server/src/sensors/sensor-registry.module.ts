import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { SensorRegistry } from './sensor-registry.service';
import { SensorRegistryRestorer } from './sensor-registry.restorer';

/**
 * The registry on its own, so that the series module (whose queries are costed by each sensor's
 * interval) and the sensors API (which charts through the series module) can both use it.
 */
@Module({
  imports: [StorageModule],
  providers: [SensorRegistry, SensorRegistryRestorer],
  exports: [SensorRegistry],
})
export class SensorRegistryModule {}
