import { defineConfig } from 'vite';

// Relative asset paths so the build loads from Tauri's custom protocol and from a test server.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
});
