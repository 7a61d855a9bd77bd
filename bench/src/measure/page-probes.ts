import type { Page } from 'playwright-core';

/**
 * Installed before the dashboard's own scripts: notes, for every live batch frame, how old
 * each sensor's reading is when the frame reaches the page (before the app handles it).
 */
export async function installLatencyProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const buckets: Record<number, number> = {};
    (window as unknown as { benchLatency: Record<number, number> }).benchLatency = buckets;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (event: MessageEvent) => {
          const data: unknown = event.data;
          if (typeof data !== 'string' || !data.startsWith('42/live,["batch"')) return;
          const now = Date.now();
          const [, sensors] = JSON.parse(data.slice(data.indexOf('['))) as [string, { ts?: number }[]];
          for (const sensor of sensors) {
            if (sensor.ts === undefined) continue;
            const ms = Math.max(0, now - sensor.ts);
            buckets[ms] = (buckets[ms] ?? 0) + 1;
          }
        });
      }
    };
  });
}

export async function readLatencyProbe(page: Page): Promise<[number, number][]> {
  return page.evaluate(() =>
    Object.entries((window as unknown as { benchLatency: Record<string, number> }).benchLatency).map(
      ([ms, n]) => [Number(ms), n] as [number, number],
    ),
  );
}

/** No tile server is reachable from here; both pages skip tiles the same way. */
export async function blockTiles(page: Page): Promise<void> {
  await page.route(/tile\.openstreetmap\.org/, (route) => route.abort());
}

export interface FrameStats {
  fps: number;
  longFrames: number;
  worstFrameMs: number;
}

/**
 * Frames per second by requestAnimationFrame while someone looks around the map, as an
 * officer would: the mouse drags it one way, zooms in a step with the wheel, drags back and
 * zooms out again, for the whole measurement.
 */
export async function measureFrames(page: Page, seconds: number): Promise<FrameStats> {
  const frames = page.evaluate(async (ms) => {
    const times: number[] = [];
    const start = performance.now();
    await new Promise<void>((resolve) => {
      const step = (t: number) => {
        times.push(t);
        if (t - start < ms) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    return {
      fps: (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000),
      longFrames: gaps.filter((g) => g > 50).length,
      worstFrameMs: Math.max(...gaps),
    };
  }, seconds * 1000);
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const [x, y] = [viewport.width / 2, viewport.height / 2];
  const until = Date.now() + seconds * 1000;
  await page.mouse.move(x, y);
  for (let direction = 1; Date.now() < until; direction = -direction) {
    await page.mouse.down();
    await page.mouse.move(x + direction * 200, y + direction * 60, { steps: 20 });
    await page.mouse.up();
    await page.mouse.wheel(0, direction * -120);
    await page.waitForTimeout(300);
  }
  const stats = await frames;
  return {
    fps: Number(stats.fps.toFixed(1)),
    longFrames: stats.longFrames,
    worstFrameMs: Math.round(stats.worstFrameMs),
  };
}
