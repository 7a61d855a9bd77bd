import type { Socket } from 'socket.io-client';
import { LIVE_UNAUTHORIZED } from '@contracts/live';
import { toSignIn } from '../router';
import { useSessionStore } from '../stores/session';

/** When the service ends a socket's session (expiry, logout, no session at all): back to sign-in. */
export function followSessionEnd(socket: Socket): void {
  const session = useSessionStore();
  socket.on('session_ended', (reason: 'expired' | 'logout') => {
    session.end(reason);
    toSignIn();
  });
  socket.on('connect_error', (error: Error) => {
    if (error.message !== LIVE_UNAUTHORIZED) return;
    session.end('expired');
    toSignIn();
  });
}
