import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// `npm run dev` serves the editor on :5173 and proxies the API to a running Qflow runtime
// (QFLOW_URL, default http://127.0.0.1:8080). The Maven build passes --outDir into the bundle.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: {
    proxy: { '/api': { target: process.env.QFLOW_URL || 'http://127.0.0.1:8080', changeOrigin: true } },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    // CodeMirror and the Python panel are split off and loaded on demand (first-load budget: 1 MB gzipped)
    chunkSizeWarningLimit: 1000,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.js'],
  },
})
