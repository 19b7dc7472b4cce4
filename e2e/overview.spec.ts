import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'

const webPods = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"]')
const readyWebPods = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"][data-ready="true"]')
const rules = (page: Page, node: string) => page.locator(`[data-kind="kube-proxy"][data-name="${node}"] strong`)

test.beforeEach(async ({ page }) => {
  await page.goto('/?seed=42')
  await page.evaluate(() => window.localStorage.clear())
  await page.goto('/?seed=42')
  await expect(readyWebPods(page)).toHaveCount(3)
})

test.describe('the live cluster', () => {
  test('scaling web to 5 and back to 1: pods, the EndpointSlice and kube-proxy rules follow; the Service stays put', async ({ page }) => {
    await page.getByRole('button', { name: 'Speed' }).or(page.getByLabel('Speed')).selectOption('8')
    const service = page.locator('[data-kind="service"][data-name="default/web"]')
    const serviceText = await service.innerText()
    const before = Number(await rules(page, 'worker-1').innerText())
    const spin = page.getByRole('spinbutton', { name: 'web replicas' })
    await spin.fill('5')
    await spin.press('Enter')
    await expect(webPods(page)).toHaveCount(5)
    await expect(readyWebPods(page)).toHaveCount(5, { timeout: 15_000 })
    await expect(page.locator('[data-kind="endpointslice"][data-name^="default/web-"]')).toContainText('5 ready / 5 endpoints')
    await expect(rules(page, 'worker-1')).toHaveText(String(before + 6), { timeout: 10_000 })
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Scale down web' }).click()
    await expect(webPods(page)).toHaveCount(1, { timeout: 15_000 })
    await expect(page.locator('[data-kind="endpointslice"][data-name^="default/web-"]')).toContainText('1 ready / 1 endpoint')
    await expect(rules(page, 'worker-1')).toHaveText(String(before - 6), { timeout: 10_000 })
    expect(await service.innerText()).toBe(serviceText)
  })

  test('the acting component lights up as a change passes through: API server, then kube-proxy on each node', async ({ page }) => {
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(page.locator('[data-kind="component"][data-name="API server"]')).toHaveAttribute('data-active', 'true')
    await expect(page.locator('[data-kind="kube-proxy"][data-name="worker-1"]')).toHaveAttribute('data-active', 'true', { timeout: 15_000 })
    await page.screenshot({ path: 'test-results/cluster-lit-1280x720.png' })
  })

  test('a deleted pod is replaced by a new one with a new name', async ({ page }) => {
    const victim = (await webPods(page).first().getAttribute('data-name'))!
    // Reached with the keyboard (the view pans to a focused card, wherever the header leaves it), then Enter.
    await page.locator(`.react-flow__node[data-id="pod:${victim}"]`).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: `Delete pod ${victim.split('/')[1]}` }).click()
    await expect(page.locator(`[data-kind="pod"][data-name="${victim}"]`)).toHaveCount(0, { timeout: 10_000 })
    await expect(readyWebPods(page)).toHaveCount(3, { timeout: 15_000 })
  })

  test('a pod that goes fades out where it stood, and its endpoint edge with it; with reduced motion it just goes', async ({ page }) => {
    // A MutationObserver sees every pod drawn as gone, however briefly.
    const watchGone = () =>
      page.evaluate(() => {
        const seen = ((window as unknown as { seenGone: string[] }).seenGone = [] as string[])
        new MutationObserver(() => {
          for (const el of document.querySelectorAll('[data-kind="pod"][data-gone="true"]')) seen.push(el.getAttribute('data-name')!)
        }).observe(document.body, { subtree: true, childList: true, attributes: true })
      })
    const seenGone = () => page.evaluate(() => (window as unknown as { seenGone: string[] }).seenGone)
    await page.getByLabel('Speed').selectOption('8')
    await watchGone()
    await page.getByRole('button', { name: 'Scale down web' }).click()
    const ghost = page.locator('[data-kind="pod"][data-gone="true"]')
    await expect(ghost).toHaveCount(1, { timeout: 10_000 })
    await expect(page.locator('.react-flow__edge.endpoint-gone')).toHaveCount(1)
    await expect(ghost).toHaveCount(0)
    await expect(webPods(page)).toHaveCount(2)

    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.reload()
    await expect(readyWebPods(page)).toHaveCount(2)
    await page.getByLabel('Speed').selectOption('8')
    await watchGone()
    await page.getByRole('button', { name: 'Scale down web' }).click()
    await expect(webPods(page)).toHaveCount(1, { timeout: 10_000 })
    expect(await seenGone()).toEqual([])
  })

  test("the inspector: a slice lists its Service and pods; a Node's rules open with that Service highlighted, also full size", async ({ page }) => {
    // A Service then its slice: the second selection must not bounce back to the first.
    await page.locator('[data-kind="service"][data-name="default/web"]').click()
    await expect(page.getByRole('region', { name: 'Service default/web' })).toBeVisible()
    await page.locator('[data-kind="endpointslice"][data-name^="default/web-"]').click()
    const inspector = page.getByRole('region', { name: /^EndpointSlice default\/web-/ })
    await expect(inspector.getByRole('button', { name: /^Pod web-/ })).toHaveCount(3)
    await expect(inspector.getByRole('button', { name: 'Service web' })).toBeVisible()
    await page.locator('[data-kind="node"][data-name="worker-1"] .k8s-node-name').click()
    const rules = page.getByLabel('iptables rules of worker-1', { exact: true })
    const marked = rules.locator('.hl')
    await expect(marked.first()).toBeVisible()
    const lines = await marked.allInnerTexts()
    expect(lines.some((l) => l.startsWith('-A KUBE-SERVICES') && l.includes('"default/web:http cluster IP"'))).toBe(true)
    expect(lines.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('DNAT'))).toHaveLength(3)
    expect(lines.some((l) => l.includes('kube-dns'))).toBe(false)
    // iptables-save's canonical form by default; kube-proxy's own input on request, each labelled as what it is.
    expect(lines.some((l) => /^-A KUBE-SERVICES -d 10\.\S+\/32 -p tcp -m comment/.test(l))).toBe(true)
    await page.getByRole('radio', { name: /kube-proxy's iptables-restore input/ }).check()
    await expect(marked.filter({ hasText: /^-A KUBE-SERVICES -m comment --comment "default\/web:http cluster IP" -m tcp -p tcp -d / })).toHaveCount(1)
    await page.getByRole('button', { name: 'Full size' }).click()
    const dialog = page.getByRole('dialog')
    await expect(dialog.locator('.hl', { hasText: /^-A / }).first()).toBeInViewport()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })

  test('invalid YAML shows the error at its line and changes nothing', async ({ page }) => {
    await page.getByRole('tab', { name: 'YAML' }).click()
    const editor = page.getByRole('textbox', { name: 'Manifest YAML' })
    await editor.fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: 70000\n')
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    const errors = page.getByRole('alert').filter({ hasText: 'is invalid' })
    await expect(errors).toContainText('line 7:')
    await expect(errors).toContainText('spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive')
    await expect(errors).toContainText('Nothing was changed.')
    await expect(page.locator('[data-kind="service"][data-name="default/broken"]')).toHaveCount(0)
  })

  test('YAML that cannot be read is reported once, at its line', async ({ page }) => {
    await page.getByRole('tab', { name: 'YAML' }).click()
    await page.getByRole('textbox', { name: 'Manifest YAML' }).fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: [broken\n')
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    const alert = page.getByRole('alert', { name: 'Apply errors' })
    await expect(alert).toContainText('error: error parsing STDIN')
    const text = await alert.innerText()
    expect(text.split('error parsing STDIN')).toHaveLength(2)
    await expect(alert).toContainText('Nothing was changed.')
    await alert.scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'test-results/yaml-syntax-error-1280x720.png' })
    await page.setViewportSize({ width: 1920, height: 1080 })
    await alert.scrollIntoViewIfNeeded()
    await page.screenshot({ path: 'test-results/yaml-syntax-error-1920x1080.png' })
  })

  test('a reload restores the same cluster', async ({ page }) => {
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(webPods(page)).toHaveCount(4)
    const names = await webPods(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())
    await page.waitForTimeout(1200)
    await page.reload()
    await expect(webPods(page)).toHaveCount(4)
    expect(await webPods(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())).toEqual(names)
  })

  test('a corrupt save gives a clear message and a fresh cluster', async ({ page }) => {
    // Written before the app's scripts run, as if left by an older or broken version.
    await page.addInitScript(() => window.localStorage.setItem('service-discovery-simulator/scenario', '{"version": 1, "seed": "x"'))
    await page.reload()
    await expect(page.getByRole('alert').filter({ hasText: 'could not be restored' })).toContainText('not valid JSON')
    await expect(page.getByRole('link', { name: 'Download the old data' })).toBeVisible()
    await expect(readyWebPods(page)).toHaveCount(3)
  })

  test('scaling works with the keyboard alone', async ({ page }) => {
    const up = page.getByRole('button', { name: 'Scale up web' })
    await up.focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Space')
    await expect(page.getByRole('spinbutton', { name: 'web replicas' })).toHaveValue('5')
    await expect(webPods(page)).toHaveCount(5)
    // A pod in the graph is selected with the keyboard too: focus it, press Enter, read it in the inspector.
    const pod = (await readyWebPods(page).first().getAttribute('data-name'))!
    await page.locator(`.react-flow__node:has([data-name="${pod}"])`).focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('region', { name: `Pod ${pod}` })).toBeVisible()
  })

  test('has no serious accessibility violations', async ({ page }) => {
    const results = await new AxeBuilder({ page }).analyze()
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([])
  })

  test('works offline and looks right at 1280x720 and 1920x1080', async ({ page }) => {
    const outside: string[] = []
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.hostname !== '127.0.0.1' && !['data:', 'blob:'].includes(url.protocol)) outside.push(r.url())
    })
    await page.reload()
    await expect(readyWebPods(page)).toHaveCount(3)
    await page.screenshot({ path: 'test-results/cluster-1280x720.png' })
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.getByRole('button', { name: 'Fit View' }).click()
    await page.screenshot({ path: 'test-results/cluster-1920x1080.png' })
    expect(outside).toEqual([])
  })

  test('a cluster larger than the screen: the view follows its growth, a card per Node counts the pods past the first, an overview map on request', async ({ page }) => {
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/?seed=5&workers=9')
    await page.getByLabel('Speed').selectOption('8')
    const spin = page.getByRole('spinbutton', { name: 'web replicas' })
    await spin.fill('300')
    await spin.press('Enter')
    await expect(page.getByText('300/300 ready')).toBeVisible({ timeout: 30_000 })
    // Past the first pods of each Node, the rest are counted on one card: every web pod is drawn or counted.
    const summaries = page.locator('[data-kind="summary"][data-of="pods"]')
    await expect(summaries.first()).toBeVisible()
    const counted = await summaries.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0))
    expect((await webPods(page).count()) + counted).toBeGreaterThanOrEqual(300)
    // The view followed the growth: cards where the new pods are counted are on screen.
    const graph = (await page.getByRole('region', { name: 'Cluster graph' }).boundingBox())!
    const onScreen = await summaries.evaluateAll((els, g) => els.filter((e) => {
      const r = e.getBoundingClientRect()
      return r.top >= g.y && r.bottom <= g.y + g.height && r.left >= g.x && r.right <= g.x + g.width
    }).length, graph)
    expect(onScreen).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Overview map' }).click()
    await expect(page.getByRole('img', { name: 'Overview of the cluster' })).toBeVisible()
    await page.screenshot({ path: 'test-results/cluster-300-pods-1280x720.png' })
  })

  test('replays the same cluster from the same seed, and another from another', async ({ page }) => {
    const ipOf = async (seed: number) => {
      await page.evaluate(() => window.localStorage.clear())
      await page.goto(`/?seed=${seed}`)
      return ((await page.locator('[data-kind="service"][data-name="default/web"]').textContent()) ?? '').match(/10\.\d+\.\d+\.\d+/)![0]
    }
    const first = await ipOf(7)
    expect(await ipOf(7)).toBe(first)
    expect(await ipOf(8)).not.toBe(first)
  })
})
