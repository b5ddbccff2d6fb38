import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // `npm run dev -w @relance/web` against a running `npm start`.
    proxy: { '/api': 'http://localhost:3000', '/v1': 'http://localhost:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The largest chunk (about 510 kB) is the template source editor (CodeMirror with its HTML and
    // Liquid modes), loaded only when someone opens a template's source; every other chunk is
    // under 330 kB. The warning would otherwise greet every `npm start`.
    chunkSizeWarningLimit: 600,
  },
});
