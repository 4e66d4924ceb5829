import { defineConfig } from 'vite';

// During `vite dev`, /api goes to the FastAPI backend on port 8000.
export default defineConfig({
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
