import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AlertEpisode, AlertEvent } from '@contracts/alerts';
import { episodeAction, fetchOpenEpisodes } from '../api/alerts';
import { liveSocket } from '../live/live-connection';

/**
 * The open alert episodes addressed to this person, kept current by the live feed: the header's
 * badge counts those nobody has acknowledged yet.
 */
export const useAlertsStore = defineStore('alerts', () => {
  const open = ref<AlertEpisode[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  /** Bumped on every event, so the history view knows to reload. */
  const changes = ref(0);
  let following = false;

  const unacknowledged = computed(() => open.value.filter((episode) => !episode.acknowledgedBy).length);

  async function load(): Promise<void> {
    try {
      open.value = await fetchOpenEpisodes();
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  function apply({ type, episode }: AlertEvent): void {
    const others = open.value.filter((e) => e.id !== episode.id);
    open.value = type === 'closed' ? others : [episode, ...others].sort((a, b) => b.start - a.start);
    changes.value += 1;
  }

  /** Loads once and follows the feed for the rest of the session (the socket is the tab's one). */
  function follow(): void {
    if (following) return;
    following = true;
    const socket = liveSocket();
    socket.on('alert', apply);
    // After a reconnect, events may have been missed.
    socket.on('connect', () => void load());
    void load();
  }

  function stop(): void {
    following = false;
    open.value = [];
    loaded.value = false;
  }

  async function act(id: string, action: 'acknowledge' | 'resolve'): Promise<void> {
    apply({
      type: action === 'resolve' ? 'closed' : 'acknowledged',
      episode: await episodeAction(id, action),
      roles: [],
    });
  }

  return { open, loaded, error, changes, unacknowledged, load, follow, stop, act };
});
