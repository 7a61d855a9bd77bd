import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    // The contracts' TypeScript source: the same bands, events and outlines as the service.
    alias: { '@contracts': fileURLToPath(new URL('../services/contracts/src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/live': { target: 'http://127.0.0.1:8080', ws: true },
      '/socket.io': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
