/**
 * Browser benchmark: frame times in headless Chromium while the live view works (numbers, not pass/fail).
 *   npm run bench:ui
 * 1. Scale web from 3 to 200 and back to 3 on the default cluster (3 nodes).
 * 2. 10 nodes and 500 pods on screen while time runs.
 * 3. On that cluster, a batch of 1000 requests at 8x: hundreds of packets in flight at once.
 * It serves the production build (vite preview) and reports the median and 95th percentile frame time.
 * `npm run bench:ui -- packets` runs only the large cluster (cases 2 and 3).
 */
import { chromium, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium'

const PORT = 4175
const BASE = `http://127.0.0.1:${PORT}`

/** Frame-to-frame times (ms) over `frames` animation frames. */
async function frameTimes(page: Page, frames: number): Promise<number[]> {
  // Passed as text: the loader that runs this script wraps functions in helpers the page does not have.
  return page.evaluate(`new Promise((resolve) => {
    const out = []
    let last = performance.now()
    const step = (t) => {
      out.push(t - last)
      last = t
      if (out.length < ${frames}) requestAnimationFrame(step)
      else resolve(out.slice(1))
    }
    requestAnimationFrame(step)
  })`) as Promise<number[]>
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return `median ${q(0.5).toFixed(1)} ms (${(1000 / q(0.5)).toFixed(0)} fps), p95 ${q(0.95).toFixed(1)} ms, worst ${s.at(-1)!.toFixed(1)} ms over ${xs.length} frames`
}

async function setReplicas(page: Page, n: number): Promise<void> {
  const spin = page.getByRole('spinbutton', { name: 'web replicas' })
  await spin.fill(String(n))
  await spin.press('Enter')
}

async function main(): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' })
  try {
    for (let i = 0; i < 50; i++) {
      try {
        if ((await fetch(BASE)).ok) break
      } catch {
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS })
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
    await page.goto(`${BASE}/?seed=1`)
    await page.evaluate(() => window.localStorage.clear())
    await page.goto(`${BASE}/?seed=1`)
    if (!process.argv.includes('packets')) {
      await page.locator('[data-kind="pod"][data-ready="true"][data-name^="default/web-"]').nth(2).waitFor()
      console.log(`idle, 3 nodes, default scenario: ${stats(await frameTimes(page, 180))}`)
      await page.getByLabel('Speed').selectOption('4')
      await setReplicas(page, 200)
      const up = await frameTimes(page, 600)
      console.log(`scaling web 3 -> 200 at 4x: ${stats(up)}`)
      await setReplicas(page, 3)
      console.log(`scaling web 200 -> 3 at 4x: ${stats(await frameTimes(page, 600))}`)
    }

    await page.goto(`${BASE}/?seed=1&workers=9`)
    await page.getByLabel('Speed').selectOption('8')
    await setReplicas(page, 497)
    await page.locator('[data-kind="pod"]').nth(499).waitFor({ timeout: 120_000 })
    console.log(`10 nodes, ${await page.locator('[data-kind="pod"]').count()} pods drawn, while they start at 8x: ${stats(await frameTimes(page, 600))}`)
    await page.waitForTimeout(5000)
    console.log(`10 nodes, 500 pods, running at 1x: ${(await page.getByLabel('Speed').selectOption('1'), stats(await frameTimes(page, 300)))}`)

    await page.getByLabel('Speed').selectOption('8')
    await page.getByRole('tab', { name: 'Traffic' }).click()
    await page.getByRole('radio', { name: '1000', exact: true }).check()
    await page.getByRole('button', { name: 'Send request' }).click()
    await page.waitForTimeout(3000)
    const inFlight: number[] = []
    // Read without waiting: a sample that cannot be read is skipped, never left to fail after the run.
    const sampler = setInterval(() => {
      page
        .evaluate(`document.querySelector('[data-kind="packets"]')?.getAttribute('data-in-flight') ?? '0'`)
        .then((n) => inFlight.push(Number(n)))
        .catch(() => undefined)
    }, 250)
    const times = await frameTimes(page, 480)
    clearInterval(sampler)
    const mean = inFlight.reduce((a, b) => a + b, 0) / Math.max(1, inFlight.length)
    console.log(`10 nodes, 500 pods, 1000 requests at 8x (${mean.toFixed(0)} packets in flight on average, ${Math.min(...inFlight)}-${Math.max(...inFlight)}): ${stats(times)}`)
    await browser.close()
  } finally {
    server.kill()
  }
}

await main()
