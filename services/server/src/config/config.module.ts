import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AnySlice } from './config-slice';

/**
 * Makes each slice's validated settings injectable everywhere, as
 * `@InjectConfig(healthConfig) health: HealthSettings`.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(slices: readonly AnySlice[], config: Readonly<Record<string, unknown>>): DynamicModule {
    const providers = slices.map((slice) => ({ provide: slice.token, useValue: config[slice.name] }));
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
