/**
 * Browser benchmark: frame times in headless Chromium while the live view works (numbers, not pass/fail).
 *   npm run bench:ui
 * 1. Scale web from 3 to 200 and back to 3 on the default cluster (3 nodes).
 * 2. 10 nodes and 500 pods on screen while time runs.
 * 3. On that cluster, a batch of 1000 requests at 8x: hundreds of packets in flight at once.
 * 4. Big inputs (`-- big` runs only these): typing 10000 into the replicas box, applying 5,000 Nodes, applying a
 *    20 MB manifest. Each is confirmed in the dialog that asks first; reported: how long until the page answers again
 *    (a frame is drawn), the longest frame after, the number of DOM elements and the JS heap.
 * It serves the production build (vite preview, on BENCH_PORT or 4175) and reports the median and 95th percentile
 * frame time. `npm run bench:ui -- packets` runs only the large cluster (cases 2 and 3).
 */
import { chromium, type Browser, type Page } from '@playwright/test'
import { spawn } from 'node:child_process'
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/chromium'

const PORT = Number(process.env['BENCH_PORT'] ?? 4175)
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
  // A change that large is asked about first.
  const yes = page.getByRole('button', { name: `Scale to ${n.toLocaleString('en')}` })
  if (await yes.isVisible().catch(() => false)) await yes.click()
}

/** Waits until `n` web pods are Ready (read from the Deployments list: past a few per Node, pods are counted on a card, not drawn). */
async function readyWeb(page: Page, n: number, timeout = 120_000): Promise<void> {
  await page.getByText(new RegExp(`^${n}/${n} ready$`)).first().waitFor({ timeout })
}

/** Clicks the yes of the question a large change asks, if it asks one. */
async function confirm(page: Page, name: string): Promise<void> {
  const yes = page.getByRole('button', { name })
  if (await yes.isVisible().catch(() => false)) await yes.click()
}

/** How long (ms) from now until the page draws a frame, after `act` (the page may be blocked meanwhile). */
async function untilAnswering(page: Page, act: () => Promise<void>): Promise<number> {
  const start = Date.now()
  await act()
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(0)))')
  return Date.now() - start
}

/** The page's weight after a big input: DOM elements and JS heap. */
async function weight(page: Page): Promise<string> {
  const [elements, heap] = (await page.evaluate('[document.querySelectorAll("*").length, performance.memory ? performance.memory.usedJSHeapSize : 0]')) as [number, number]
  return `${elements} DOM elements, heap ${(heap / 1e6).toFixed(0)} MB`
}

/** Puts text in the YAML editor at once, as a paste does (typing it in would take this headless browser minutes). */
async function pasteYaml(page: Page, text: string): Promise<void> {
  await page.getByRole('tab', { name: 'YAML' }).click()
  await page.getByRole('textbox', { name: 'Manifest YAML' }).evaluate((ta, value) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, value)
    ta.dispatchEvent(new Event('input', { bubbles: true }))
  }, text)
}

/** A fresh page with nothing saved (its own browser context: the last case's cluster is saved in its storage). */
async function freshPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage()
  // A page that freezes takes long to answer: that is what is measured, so wait for it.
  page.setDefaultTimeout(600_000)
  await page.goto(`${BASE}/?seed=1`)
  await readyWeb(page, 3)
  return page
}

/** Case 4: the inputs that froze the page. */
async function bigInputs(browser: Browser): Promise<void> {
  let page = await freshPage(browser)
  const spin = page.getByRole('spinbutton', { name: 'web replicas' })
  await spin.fill('10000')
  const typed = await untilAnswering(page, async () => {
    await spin.press('Enter')
    await confirm(page, 'Scale to 10,000')
  })
  console.log(`typing 10000 into the replicas box, confirmed: the page answers after ${typed} ms; then ${stats(await frameTimes(page, 120))}; ${await weight(page)}`)
  await page.context().close()

  page = await freshPage(browser)
  await pasteYaml(page, Array.from({ length: 5000 }, (_, i) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${i}\n`).join('---\n'))
  const nodes = await untilAnswering(page, async () => {
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await confirm(page, 'Apply it')
  })
  console.log(`applying 5,000 Nodes, confirmed: the page answers after ${nodes} ms; then ${stats(await frameTimes(page, 120))}; ${await weight(page)}`)
  await page.context().close()

  page = await freshPage(browser)
  // 2,000 ConfigMaps of 100 keys of 100 bytes: 20 MB of YAML in 200,000 lines (stored, not simulated).
  const data = Array.from({ length: 100 }, (_, j) => `  key-${j}: ${'x'.repeat(90)}\n`).join('')
  const big = Array.from({ length: 2000 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: data-${i}\ndata:\n${data}`).join('---\n')
  const pasted = await untilAnswering(page, () => pasteYaml(page, big))
  const doc = await untilAnswering(page, async () => {
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await confirm(page, 'Apply it')
  })
  console.log(`a ${(big.length / 1e6).toFixed(1)} MB manifest of ${big.split('\n').length} lines: pasted in ${pasted} ms, applied (confirmed): the page answers after ${doc} ms; then ${stats(await frameTimes(page, 120))}; ${await weight(page)}`)
  await page.context().close()
}

async function main(): Promise<void> {
  // In a process group of its own: npx starts vite as a child, and killing npx alone would leave vite serving.
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true })
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
    if (process.argv.includes('big')) {
      await bigInputs(browser)
      await browser.close()
      return
    }
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
    // All 500 created: drawn one by one, or (past a few per Node) counted on a card.
    await page.locator('[data-kind="summary"]').or(page.locator('[data-kind="pod"]').nth(499)).first().waitFor({ timeout: 120_000 })
    console.log(`10 nodes, 500 pods (${await page.locator('[data-kind="pod"]').count()} drawn, the rest counted on a card per Node), while they start at 8x: ${stats(await frameTimes(page, 600))}`)
    await readyWeb(page, 497)
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
    if (!process.argv.includes('packets')) await bigInputs(browser)
    await browser.close()
  } finally {
    if (server.pid) process.kill(-server.pid)
  }
}

await main()
