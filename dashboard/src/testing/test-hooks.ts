/** What the browser tests and the map benchmark read off the page. */
export interface TestHooks {
  meetnetLive: { drop(): void };
  meetnetMap: {
    markerPoint(key: string): { x: number; y: number } | undefined;
    markerColour(key: string): string | undefined;
    markerShown(key: string): boolean;
    /** Clusters drawn now (a fleet past LARGE_FLEET, zoomed out). */
    clusterCount(): number;
    /** Sensors the live feed has sent (a large fleet: those around the view). */
    liveSensors(): number;
  };
}

/**
 * Puts a hook on `window`, in a test build only (`vite build --mode test`, what `npm test` and
 * `npm run bench` serve): the build people use carries none, as Vite drops this body there.
 */
export function exposeForTests<K extends keyof TestHooks>(name: K, hook: TestHooks[K]): void {
  if (import.meta.env.MODE !== 'test') return;
  (window as unknown as Partial<TestHooks>)[name] = hook;
}
