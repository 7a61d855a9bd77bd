import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SessionUser } from '@contracts/roles';
import { fetchSessionUser, signIn, signOut } from '../api/auth';

export type SessionEnd = 'expired' | 'logout';

/** Who is signed in. The cookie itself is httpOnly: the dashboard only ever asks the service. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null);
  const checked = ref(false);
  /** Why the last session ended, for the sign-in page to say. */
  const ended = ref<SessionEnd | null>(null);

  async function load(): Promise<SessionUser | null> {
    if (!checked.value) {
      user.value = await fetchSessionUser();
      checked.value = true;
    }
    return user.value;
  }

  async function login(name: string, password: string): Promise<void> {
    user.value = await signIn(name, password);
    checked.value = true;
    ended.value = null;
  }

  async function logout(): Promise<void> {
    await signOut();
    end('logout');
  }

  /** The service ended the session (expiry, or a logout in another tab). */
  function end(reason: SessionEnd): void {
    user.value = null;
    checked.value = true;
    ended.value = reason;
  }

  return { user, checked, ended, load, login, logout, end };
});
