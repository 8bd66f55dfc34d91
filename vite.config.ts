import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000', '/fhir': 'http://localhost:3000', '/auth': 'http://localhost:3000', '/dev-idp': 'http://localhost:3000' } },
});
