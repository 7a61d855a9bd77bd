import { Module } from '@nestjs/common';
import { MqttConnection } from './mqtt-connection.service';

@Module({ providers: [MqttConnection], exports: [MqttConnection] })
export class MqttModule {}
