import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * The built page's Content-Security-Policy: scripts and styles only from the page's own files (no inline script, no
 * eval; React, React Flow and framer-motion set styles through the DOM, which CSP does not restrict), nothing loaded
 * from anywhere else, no plugins, no forms, no base URL. The dev server injects inline scripts and styles for hot
 * reloading, so the policy is added to the build only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ')

/** Puts the policy first in the built page's head, before anything it governs. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  }
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  // The engine ships as one module; splitting it would not make the first paint faster.
  build: { chunkSizeWarningLimit: 1000 },
  // Served as a host would: the policy as a header too (which also forbids framing the page).
  preview: { headers: { 'Content-Security-Policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'` } },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Tests assert behaviour, never timings: a scenario that takes 5 s on a busy 2-core machine has not failed.
    testTimeout: 60_000,
  },
})
