/**
 * Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`
 * with `what` in the message. Tests wait for outcomes like this, never for fixed sleeps.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Like waitFor, for work that drains a backlog at whatever speed the machine allows: fails
 * only when `progress` has not moved for `stalledMs`, not after a fixed time.
 */
export async function waitWhileProgressing<T>(
  what: string,
  check: () => Promise<{ done: T | undefined; progress: number }>,
  stalledMs = 60_000,
  everyMs = 500,
): Promise<T> {
  let last = Number.NEGATIVE_INFINITY;
  let movedAt = Date.now();
  for (;;) {
    const { done, progress } = await check();
    if (done !== undefined) return done;
    if (progress > last) {
      last = progress;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stalledMs) {
      throw new Error(`stalled for ${stalledMs} ms at ${progress} waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
