import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { hops, send } from './app'

const readyWebPods = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"][data-ready="true"]')
const details = (page: Page) => page.getByRole('region', { name: 'Packet at this hop' })
const cell = (page: Page, row: 'before' | 'after', field: 'src' | 'dst') => details(page).locator(`tr:has(th:text-is("${row}")) td[data-field="${field}"]`)

const NODEPORTS = `apiVersion: v1
kind: Service
metadata:
  name: web-np
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: web-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
    nodePort: 30081
`

test.beforeEach(async ({ page }) => {
  await page.goto('/?seed=42')
  await page.evaluate(() => window.localStorage.clear())
  await page.goto('/?seed=42')
  await expect(readyWebPods(page)).toHaveCount(3)
})

test.describe('watching packets', () => {
  test('one request from client to web: the packet moves, and the hops show DNS, the DNAT to the pod the engine chose, and the reply', async ({ page }) => {
    await send(page)
    const packet = page.locator('[data-kind="packet"]')
    await expect(packet).toHaveCount(1)
    const first = await packet.boundingBox()
    await expect(async () => expect(await packet.boundingBox()).not.toEqual(first)).toPass({ timeout: 5000 })
    // Where it went is said once the packet gets there, not before: jump to its last hop.
    await expect(page.getByRole('status')).toHaveText('On its way: follow the packet.')
    await hops(page).last().getByRole('button').click()
    const status = await page.getByRole('status').innerText()
    const [, pod, ip] = status.match(/Served by (default\/web-\S+) at (10\.244\.\d+\.\d+):8080/)!
    await expect(page.locator(`[data-kind="pod"][data-ip="${ip}"]`)).toHaveAttribute('data-name', pod!)
    await expect(hops(page).first()).toContainText('DNS')
    const client = await page.locator('[data-kind="pod"][data-name="default/client"]').getAttribute('data-ip')
    await expect(hops(page).filter({ hasText: `DNAT: ${client}:` }).filter({ hasText: `${ip}:8080` })).toHaveCount(1)
    const clusterIP = ((await page.locator('[data-kind="service"][data-name="default/web"]').textContent()) ?? '').match(/10\.\d+\.\d+\.\d+/)![0]
    await expect(hops(page).filter({ hasText: 'reply' }).filter({ hasText: `un-NAT (conntrack): ${clusterIP}:80 →` })).toHaveCount(1)
    await expect(hops(page).last()).toContainText(`deliver at default/client`)
    // Every hop is listed once: the details count them too.
    await expect(details(page).getByRole('heading')).toContainText(/of \d+/)
    const total = Number((await details(page).getByRole('heading').innerText()).match(/of (\d+)/)![1])
    await expect(hops(page)).toHaveCount(total)
  })

  test('stepping forward and back shows the header of each hop as the list has it', async ({ page }) => {
    await send(page)
    await page.getByRole('button', { name: 'Pause packet' }).click()
    await hops(page).first().getByRole('button').click()
    const check = async (i: number) => {
      await expect(details(page).getByRole('heading')).toContainText(`Hop ${i + 1} of`)
      const item = hops(page).nth(i)
      await expect(item).toHaveAttribute('aria-current', 'step')
      const text = await item.innerText()
      const [src, dst] = text.match(/(\d+\.\d+\.\d+\.\d+:\d+) → (\d+\.\d+\.\d+\.\d+:\d+)/)!.slice(1)
      await expect(cell(page, 'before', 'src')).toHaveText(src!)
      await expect(cell(page, 'before', 'dst')).toHaveText(dst!)
      const rewritten = text.match(/: (\d+\.\d+\.\d+\.\d+:\d+) → (\d+\.\d+\.\d+\.\d+:\d+)\s*$/)
      if (rewritten) await expect(cell(page, 'after', 'dst')).toContainText(rewritten[2]!)
    }
    for (let i = 0; i < 6; i++) {
      await check(i)
      await page.getByRole('button', { name: 'Next hop' }).click()
    }
    for (let i = 6; i > 2; i--) {
      await check(i)
      await page.getByRole('button', { name: 'Previous hop' }).click()
    }
    await check(2)
    // The DNAT hop names the rule that fired and steps through the rules walked, the dice's draws among them.
    const dnat = hops(page).filter({ hasText: 'DNAT' }).filter({ hasText: ':8080' })
    await dnat.getByRole('button').click()
    await expect(details(page)).toContainText('-j DNAT --to-destination')
    await expect(details(page).getByRole('list', { name: /^Rules evaluated at / }).locator('li').filter({ hasText: /0\.\d{4} [<≥] 0\.\d{10}/ }).first()).toBeVisible()
  })

  test('100 requests: a histogram summing to 100 over exactly the ready pods', async ({ page }) => {
    await page.getByLabel('Speed').selectOption('8')
    const ready = (await readyWebPods(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!.split('/')[1]!))).sort()
    await send(page, { count: 100 })
    await expect(page.getByRole('heading', { name: /^100 of 100 requests sent, 100 connections/ })).toBeVisible({ timeout: 30_000 })
    const rows = page.getByRole('table', { name: 'Requests per pod' }).locator('tbody tr')
    const served = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent!, Number(tr.querySelector('.num')!.textContent)] as const))
    expect(served.map(([p]) => p).sort()).toEqual(ready)
    expect(served.reduce((n, [, c]) => n + c, 0)).toBe(100)
  })

  test('keep-alive: ten requests on one connection all reach one pod', async ({ page }) => {
    await page.getByLabel('Speed').selectOption('8')
    await send(page, { count: 10, keepAlive: true })
    await expect(page.getByRole('heading', { name: /^10 of 10 requests sent, 1 connection$/ })).toBeVisible({ timeout: 15_000 })
    const counts = await page.getByRole('table', { name: 'Requests per pod' }).locator('tbody .num').allInnerTexts()
    expect(counts.map(Number).sort((a, b) => b - a)).toEqual([10, 0, 0])
  })

  test('from the Internet: a NodePort works; under Local policy, a node without endpoints drops it', async ({ page }) => {
    const rules = (node: string) => page.locator(`[data-kind="kube-proxy"][data-name="${node}"] strong`)
    const before = await Promise.all(['worker-1', 'control-plane'].map(async (n) => Number(await rules(n).innerText())))
    await page.getByRole('tab', { name: 'YAML' }).click()
    await page.getByRole('textbox', { name: 'Manifest YAML' }).fill(NODEPORTS)
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await expect(page.locator('[data-kind="endpointslice"][data-name^="default/web-local-"]')).toContainText('3 ready', { timeout: 10_000 })
    // kube-proxy writes the NodePort rules a moment after the slices: until then nothing listens on the port.
    await expect(async () => expect(Number(await rules('worker-1').innerText())).toBeGreaterThan(before[0]!)).toPass()
    await expect(async () => expect(Number(await rules('control-plane').innerText())).toBeGreaterThan(before[1]!)).toPass()
    await expect(page.locator('[data-kind="external"][data-name="internet"]')).toBeVisible()
    // Through worker-1 (it runs web pods) with Cluster policy: served, the source masqueraded to the node.
    await send(page, { from: 'external', to: '172.18.0.3:30080' })
    await hops(page).last().getByRole('button').click()
    await expect(page.getByRole('status')).toContainText(/Served by default\/web-/)
    await expect(hops(page).first()).toContainText('netfilter at worker-1')
    // The control plane runs no web pod: under Local policy its rules drop the packet.
    await send(page, { from: 'external', to: '172.18.0.2:30081' })
    await hops(page).last().getByRole('button').click()
    await expect(page.getByRole('status')).toContainText('Failed: connection timed out: default/web-local has no local endpoints')
    await expect(hops(page).filter({ hasText: 'DROP at control-plane' })).toHaveCount(1)
  })

  test('with reduced motion the packet steps from hop to hop without moving in between, and every hop is shown', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.reload()
    await expect(readyWebPods(page)).toHaveCount(3)
    await send(page)
    await page.getByRole('button', { name: 'Pause packet' }).click()
    await hops(page).first().getByRole('button').click()
    const total = Number((await details(page).getByRole('heading').innerText()).match(/of (\d+)/)![1])
    const packet = page.locator('[data-kind="packet"]')
    for (let i = 0; i < total; i++) {
      await expect(packet).toHaveAttribute('data-hop', String(i))
      await expect(details(page).getByRole('heading')).toContainText(`Hop ${i + 1} of ${total}`)
      // Already where it goes: no motion in between.
      const a = await packet.boundingBox()
      await page.waitForTimeout(120)
      expect(await packet.boundingBox()).toEqual(a)
      if (i < total - 1) await page.getByRole('button', { name: 'Next hop' }).click()
    }
    await expect(hops(page)).toHaveCount(total)
  })

  test('the traffic panel, the packet and its details have no serious accessibility violations; screenshots to look at', async ({ page }) => {
    await page.getByLabel('Speed').selectOption('8')
    await send(page, { count: 10 })
    await expect(page.getByRole('heading', { name: /^10 of 10 requests sent/ })).toBeVisible({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Pause packet' }).click()
    await hops(page).filter({ hasText: 'DNAT' }).filter({ hasText: ':8080' }).getByRole('button').click()
    await page.screenshot({ path: 'test-results/traffic-1280x720.png' })
    const results = await new AxeBuilder({ page }).analyze()
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([])
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.getByRole('button', { name: 'Fit View' }).click()
    await page.screenshot({ path: 'test-results/traffic-1920x1080.png' })
  })
})
