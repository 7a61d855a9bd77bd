import { type ServiceInstance, startService } from './service';
import { waitFor } from './wait-for';

/**
 * Several service instances in one MQTT 5 share group, each with its own client id and spool,
 * returned once every one holds its share of the observation subscription.
 */
export async function startShareGroup(
  group: string,
  count: number,
  env: Record<string, string>,
): Promise<ServiceInstance[]> {
  const services: ServiceInstance[] = [];
  for (let i = 0; i < count; i++) {
    services.push(await startService({ ...env, MQTT_CLIENT_ID: `${group}-${i}`, MQTT_SHARE_GROUP: group }));
  }
  await waitFor(
    `all ${count} subscriptions of ${group}`,
    () =>
      services.every((s) => s.process.output().includes(`$share/${group}/meetnet/+/+/+/obs`)) || undefined,
  );
  return services;
}
