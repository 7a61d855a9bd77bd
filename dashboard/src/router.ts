import { createRouter, createWebHashHistory } from 'vue-router';

// Hash history: the service serves the built files as they are, with no fallback route.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [{ path: '/', name: 'map', component: () => import('./views/MapPage.vue') }],
});
