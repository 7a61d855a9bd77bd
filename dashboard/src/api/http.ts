import { toSignIn } from '../router';
import { useSessionStore } from '../stores/session';

/**
 * The service's answer, or an Error carrying its reason (every 4xx names one). A 401 means the
 * session ended under us: back to sign-in, as the live feed does.
 */
export async function request(url: string, signal?: AbortSignal, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, signal });
  if (response.status === 401) {
    useSessionStore().end('expired');
    toSignIn();
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `${response.status} ${response.statusText}`);
  }
  return response;
}

export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await request(url, signal)).json()) as T;
}
