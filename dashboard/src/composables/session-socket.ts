import type { Socket } from 'socket.io-client';
import { LIVE_UNAUTHORIZED } from '@contracts/live';
import { toSignIn } from '../router';
import { useSessionStore } from '../stores/session';

/**
 * When the service ends a socket's session (expiry, logout, no session at all): `closed` lets
 * go of the socket, and the dashboard goes back to sign-in.
 */
export function followSessionEnd(socket: Socket, closed: () => void): void {
  const session = useSessionStore();
  const end = (reason: 'expired' | 'logout') => {
    closed();
    session.end(reason);
    toSignIn();
  };
  socket.on('session_ended', end);
  socket.on('connect_error', (error: Error) => {
    if (error.message === LIVE_UNAUTHORIZED) end('expired');
  });
}
