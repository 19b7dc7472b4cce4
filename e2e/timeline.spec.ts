import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { fresh, SIZES } from './app'

const webCards = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"]')
const slider = (page: Page) => page.getByRole('slider', { name: 'Cluster time' })
/** worker-1's DNAT rules to web's pods, as the node rules view shows them (web highlighted). */
const webDnats = async (page: Page) => (await page.getByLabel('iptables rules of worker-1', { exact: true }).locator('.hl').allInnerTexts()).filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('DNAT')).length

/** web scaled from 3 to 1, and the cluster run on until worker-1's rules say so. */
async function scaledDown(page: Page): Promise<void> {
  await fresh(page)
  await page.locator('[data-kind="service"][data-name="default/web"]').click()
  await page.locator('[data-kind="node"][data-name="worker-1"] .k8s-node-name').click()
  await expect.poll(() => webDnats(page)).toBe(3)
  await page.getByLabel('Speed').selectOption('8')
  const spin = page.getByRole('spinbutton', { name: 'web replicas' })
  await spin.fill('1')
  await spin.press('Enter')
  await expect(webCards(page)).toHaveCount(1, { timeout: 15_000 })
  await expect.poll(() => webDnats(page), { timeout: 15_000 }).toBe(1)
}

test.describe('Cluster time', () => {
  test('back to a past moment the graph, the rules and the controls are as they were; continue from there, undo once', async ({ page }) => {
    test.setTimeout(60_000)
    await scaledDown(page)
    await expect(slider(page)).toHaveAttribute('aria-valuetext', /, live$/)
    // Keyboard: ten seconds back, then the first moment kept.
    await slider(page).focus()
    await slider(page).press('PageDown')
    await expect(slider(page)).toHaveAttribute('aria-valuetext', /\d+ s, 10 s ago$/)
    await expect(page.getByText('Showing the cluster at')).toBeVisible()
    await slider(page).press('Home')
    await expect(webCards(page)).toHaveCount(3)
    await expect.poll(() => webDnats(page)).toBe(3)
    // Nothing can be changed there: the live clock stands still, the controls say why.
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Scale up web' })).toBeDisabled()
    await expect(page.getByRole('spinbutton', { name: 'web replicas' })).toHaveValue('3')
    await expect(page.getByRole('heading', { name: /^What had happened by / })).toBeVisible()
    const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    // Live shows the present again; back to the past, and on from there.
    await page.getByRole('button', { name: 'Live', exact: true }).click()
    await expect(webCards(page)).toHaveCount(1)
    await slider(page).focus()
    await slider(page).press('Home')
    await expect(webCards(page)).toHaveCount(3)
    await page.getByRole('button', { name: 'Continue from here' }).click()
    await expect(slider(page)).toHaveAttribute('aria-valuetext', /, live$/)
    await expect(page.getByRole('button', { name: 'Scale up web' })).toBeEnabled()
    await expect(webCards(page)).toHaveCount(3)
    await expect(page.getByText(/was set aside\. Undo brings it back\./)).toBeVisible()
    // The discarded future comes back once.
    await page.getByRole('button', { name: 'Undo', exact: true }).click()
    await expect(page.getByRole('button', { name: 'Undo', exact: true })).toHaveCount(0)
    await page.getByRole('button', { name: 'Live', exact: true }).click()
    await expect(webCards(page)).toHaveCount(1)
    await expect.poll(() => webDnats(page)).toBe(1)
  })

  test('dragged to the left end the slider shows the start; an event pressed shows its moment and its object', async ({ page }) => {
    await scaledDown(page)
    const box = (await slider(page).boundingBox())!
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 })
    await page.mouse.move(box.x - 20, box.y + box.height / 2, { steps: 4 })
    await page.mouse.up()
    await expect(webCards(page)).toHaveCount(3)
    await page.getByRole('button', { name: 'Live', exact: true }).click()
    // The user's scale, in the list narrowed to the user's doings, is a moment to go to.
    const events = page.getByRole('list', { name: 'Events, newest first' })
    await page.getByLabel('Component').selectOption('user')
    const scale = events.getByRole('button', { name: /Deployment default\/web/ }).first()
    await expect(scale).toBeVisible()
    await scale.click()
    await expect(page.getByText('Showing the cluster at')).toBeVisible()
    await expect(page.getByRole('region', { name: 'Deployment default/web' })).toBeVisible()
    await page.getByLabel('Object', { exact: true }).fill('no-such-object')
    await expect(page.getByText('No event matches.')).toBeVisible()
  })

  for (const size of SIZES) {
    test(`legible live and in the past at ${size.width}x${size.height}, nothing overlapping`, async ({ page }) => {
      await page.setViewportSize(size)
      await scaledDown(page)
      const bar = page.getByRole('region', { name: 'Cluster time' })
      await page.screenshot({ path: `/tmp/shots/timeline-e2e-live-${size.width}x${size.height}.png` })
      await slider(page).focus()
      await slider(page).press('Home')
      await page.waitForTimeout(400)
      await page.screenshot({ path: `/tmp/shots/timeline-e2e-past-${size.width}x${size.height}.png` })
      // Every text in the bar is 16 px or more, inside the bar, and the bar sits above the graph, not over it.
      const sizes = await bar.locator('label, output, button, p, strong, span').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)))
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16)
      const b = (await bar.boundingBox())!
      const graph = (await page.locator('.graph').boundingBox())!
      expect(b.y + b.height).toBeLessThanOrEqual(graph.y + 1)
      for (const name of ['Live', 'Continue from here']) {
        const btn = (await bar.getByRole('button', { name, exact: true }).boundingBox())!
        expect(btn.x + btn.width).toBeLessThanOrEqual(b.x + b.width + 1)
      }
      expect(b.height).toBeLessThan(size.height / 8)
    })
  }
})
