import { Module } from '@nestjs/common';
import { SensorsModule } from '../sensors/sensors.module';
import { LiveGateway } from './live.gateway';

@Module({ imports: [SensorsModule], providers: [LiveGateway] })
export class LiveModule {}
