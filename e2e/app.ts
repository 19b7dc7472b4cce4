import { expect, type Page } from '@playwright/test'

/** The two screens the app is judged at: a laptop on a projector, and a large classroom screen. */
export const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const

export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** A fresh cluster from `query` (seed 42, two workers by default), nothing saved from before, its pods settled in. */
export async function fresh(page: Page, query = '?seed=42'): Promise<void> {
  await page.goto(`/${query}`)
  await page.evaluate(() => window.localStorage.clear())
  await page.goto(`/${query}`)
  await expect(page.locator('[data-kind="pod"][data-name^="default/web-"][data-ready="true"]')).toHaveCount(3)
  // Cards enter with a short animation (scaled down): measure them once they stand still.
  await page.waitForTimeout(500)
}

/** Sends requests from the Traffic tab. */
export async function send(page: Page, opts: { from?: string; to?: string; count?: number; keepAlive?: boolean } = {}): Promise<void> {
  await page.getByRole('tab', { name: 'Traffic' }).click()
  if (opts.from) await page.getByLabel('From', { exact: true }).selectOption(opts.from)
  if (opts.to) await page.getByLabel('Target host:port').fill(opts.to)
  if (opts.count) await page.getByRole('radio', { name: String(opts.count), exact: true }).check()
  if (opts.keepAlive) await page.getByLabel('Reuse one connection (keep-alive)').check()
  await page.getByRole('button', { name: 'Send request' }).click()
}

/** Applies YAML from the YAML tab and waits until it is accepted. */
export async function applyYaml(page: Page, yaml: string): Promise<void> {
  await page.getByRole('tab', { name: 'YAML' }).click()
  await page.getByRole('textbox', { name: 'Manifest YAML' }).fill(yaml)
  await page.getByRole('button', { name: 'Apply', exact: true }).click()
  await expect(page.locator('.applied')).toBeVisible()
}

export const hops = (page: Page) => page.getByRole('list', { name: 'Hops' }).getByRole('listitem')

/** The graph's drawing area (the pane the cards are drawn in, without its buttons). */
export const pane = (page: Page) => page.locator('.graph .react-flow')

/** Whether `inner` lies inside `outer` (a pixel of slack for rounding). */
export const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1

/** Whether two boxes overlap (touching edges do not). */
export const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5

/** The boxes of every element `selector` matches, with its text. */
export async function boxes(page: Page, selector: string): Promise<(Box & { text: string })[]> {
  return page.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height, text: (e.textContent ?? '').trim() }
    }),
  )
}

/** A LoadBalancer Service in front of web: the Internet and the load balancer appear on the graph. */
export const WEB_LB = `apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`

/**
 * Puts a long text in the YAML editor at once, as a paste does. (Playwright's fill types it into the text area, which
 * takes this headless Chromium minutes for a few hundred kilobytes.)
 */
export async function setEditorText(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Manifest YAML' }).evaluate((ta, value) => {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!.call(ta, value)
    ta.dispatchEvent(new Event('input', { bubbles: true }))
  }, text)
}
