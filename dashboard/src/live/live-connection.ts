import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE } from '@contracts/live';
import { followSessionEnd } from '../composables/session-socket';
import { exposeForTests } from '../testing/test-hooks';

let socket: Socket | undefined;

/**
 * The tab's one connection to the live feed, shared by the map and the health feed. Opened on
 * first use and kept while the session lasts, so moving between views does not reconnect; the
 * service limits each session's sockets, and a tab should hold one of them, not one per view.
 */
export function liveSocket(): Socket {
  if (socket) return socket;
  const opened = io(LIVE_NAMESPACE, { transports: ['websocket'], reconnectionDelayMax: 5000 });
  // The service closes the feed when the session ends; so does the dashboard, back to sign-in.
  followSessionEnd(opened, closeLiveSocket);
  // Drops the connection as a network would, for the reconnect test.
  exposeForTests('meetnetLive', { drop: () => opened.io.engine.close() });
  socket = opened;
  return opened;
}

/** After the session ends: the next sign-in opens a new socket, with the new cookie. */
export function closeLiveSocket(): void {
  socket?.disconnect();
  socket = undefined;
}
