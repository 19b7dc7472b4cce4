import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * A Chromium for Playwright without downloading one: the copy packed inside the @sparticuz/chromium npm package,
 * unpacked once into node_modules/.cache (it unpacks into $TMPDIR, so TMPDIR points there while it runs). Debian's
 * /usr/bin/chromium is the fallback; CHROMIUM_PATH overrides both.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env['CHROMIUM_PATH']) return process.env['CHROMIUM_PATH']
  const cache = resolve(import.meta.dirname, '../node_modules/.cache/sparticuz-chromium-143')
  mkdirSync(cache, { recursive: true })
  const previous = process.env['TMPDIR']
  process.env['TMPDIR'] = cache
  try {
    const { default: chromium } = await import('@sparticuz/chromium')
    return await chromium.executablePath()
  } catch (error) {
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium'
    throw new Error(`No Chromium for the browser tests: ${(error as Error).message}`)
  } finally {
    if (previous === undefined) delete process.env['TMPDIR']
    else process.env['TMPDIR'] = previous
  }
}

/** Flags for a closed network: no background connections that would fail and retry. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-precise-memory-info',
]
