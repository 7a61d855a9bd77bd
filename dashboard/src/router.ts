import { createRouter, createWebHashHistory } from 'vue-router';
import { useSessionStore } from './stores/session';

// Hash history: the service serves the built files as they are, with no fallback route.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'map', component: () => import('./views/MapPage.vue') },
    { path: '/health', name: 'health', component: () => import('./views/HealthPage.vue') },
    { path: '/explore', name: 'explore', component: () => import('./views/ExplorePage.vue') },
    { path: '/meldingen', name: 'alerts', component: () => import('./views/AlertsPage.vue') },
    // Residents: no sign-in, nothing but what the city publishes (PUBLIC_* settings).
    {
      path: '/publiek',
      name: 'public',
      component: () => import('./views/PublicMapPage.vue'),
      meta: { public: true },
    },
    {
      path: '/login',
      name: 'login',
      component: () => import('./views/LoginPage.vue'),
      meta: { public: true },
    },
  ],
});

// Every page but sign-in needs a session; the service checks again on every request.
router.beforeEach(async (to) => {
  if (to.meta['public']) return true;
  const user = await useSessionStore().load();
  return user ? true : { name: 'login', query: { next: to.fullPath } };
});

/** After the service ended the session, back to sign-in, returning here afterwards. */
export function toSignIn(): void {
  const next = router.currentRoute.value.fullPath;
  if (router.currentRoute.value.name !== 'login') void router.push({ name: 'login', query: { next } });
}
