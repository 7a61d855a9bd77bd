/** What the status line shows. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';
export type LiveEvent = 'connected' | 'snapshot' | 'disconnected' | 'closed';

/**
 * The live client's state machine. It is `live` only once a snapshot arrived on the current
 * connection: a connected socket without data is not yet live.
 */
export function nextLiveState(state: LiveState, event: LiveEvent): LiveState {
  switch (event) {
    case 'connected':
      return state === 'live' ? 'live' : state;
    case 'snapshot':
      return 'live';
    case 'disconnected':
      return 'reconnecting';
    case 'closed':
      return 'connecting';
  }
}
