import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { fresh, SIZES } from './app'

/** Serious and critical axe violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze()
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

const nodeCard = (page: Page, node: string) => page.locator(`[data-kind="node"][data-name="${node}"]`)
const trigger = (page: Page, node: string) => page.getByRole('button', { name: new RegExp(`^Faults on ${node}\\b`) })
const menu = (page: Page) => page.getByRole('menu', { name: /Faults on/ })
const activeFaults = (page: Page) => page.getByRole('region', { name: /Active fault/ })

/** Reaches a worker's Faults button with the keyboard: its card takes focus, Tab goes on to the button inside it. */
async function focusFaults(page: Page, node: string): Promise<void> {
  await page.locator(`.react-flow__node[data-id="node:${node}"]`).focus()
  await page.keyboard.press('Tab')
  await expect(trigger(page, node)).toBeFocused()
}

test.describe('faults from the graph', () => {
  test('a worker stopped from its Faults menu by keyboard shows its badge and the list of active faults, and heals from there', async ({ page }) => {
    await fresh(page)
    await focusFaults(page, 'worker-1')
    await page.keyboard.press('Enter')
    await expect(menu(page)).toBeVisible()
    await expect(trigger(page, 'worker-1')).toHaveAttribute('aria-expanded', 'true')
    const items = menu(page).getByRole('menuitem')
    await expect(items).toHaveText(['Stop the node (kubelet down, cut off)', 'Stall kube-proxy', /Cut the network to…/])
    await expect(items.first()).toBeFocused()
    await page.keyboard.press('ArrowUp')
    await expect(items.last()).toBeFocused()
    await page.keyboard.press('ArrowDown')
    await expect(items.first()).toBeFocused()
    // Opening it selected nothing and moved nothing: the inspector still asks for a selection.
    await expect(page.getByRole('heading', { name: 'Inspector', exact: true })).toBeVisible()
    expect(await seriousViolations(page)).toEqual([])

    await page.keyboard.press('Escape')
    await expect(menu(page)).toHaveCount(0)
    await expect(trigger(page, 'worker-1')).toBeFocused()

    await page.keyboard.press('ArrowDown')
    await page.getByRole('menuitem', { name: 'Stop the node (kubelet down, cut off)' }).press('Enter')
    await expect(menu(page)).toHaveCount(0)
    await expect(trigger(page, 'worker-1')).toBeFocused()
    await expect(nodeCard(page, 'worker-1').locator('.fault-badge')).toHaveText('⚠ Node down')
    await expect(activeFaults(page)).toContainText('Node down (kubelet stopped, cut off): worker-1, since t =')
    // The badge is legible: at least 14 graph units, 16 px on screen at the graph's zoom.
    const px = await nodeCard(page, 'worker-1').locator('.fault-badge').evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * el.getBoundingClientRect().height / (el as HTMLElement).offsetHeight)
    expect(px).toBeGreaterThanOrEqual(15.99)

    // The same menu now offers to heal it.
    await trigger(page, 'worker-1').press('Enter')
    await expect(page.getByRole('menuitem', { name: 'Heal: Node down' })).toBeFocused()
    await page.keyboard.press('Escape')

    await activeFaults(page).getByRole('button', { name: /^Heal Node down/ }).click()
    await expect(activeFaults(page)).toHaveCount(0)
    await expect(nodeCard(page, 'worker-1').locator('.fault-badge')).toHaveCount(0)
  })

  test('the network cut to another node from the sub-menu badges both ends; Heal all heals everything', async ({ page }) => {
    await fresh(page)
    await focusFaults(page, 'worker-1')
    await page.keyboard.press('Enter')
    await page.getByRole('menuitem', { name: /Cut the network to/ }).focus()
    await page.keyboard.press('ArrowRight')
    const sub = page.getByRole('menu', { name: 'Cut the network to' })
    await expect(sub.getByRole('menuitem').first()).toBeFocused()
    await page.keyboard.press('ArrowLeft')
    await expect(sub).toHaveCount(0)
    await expect(page.getByRole('menuitem', { name: /Cut the network to/ })).toBeFocused()
    await page.keyboard.press('Enter')
    await sub.getByRole('menuitem', { name: 'worker-2' }).click()
    await expect(nodeCard(page, 'worker-1').locator('.fault-badge')).toHaveText('⚠ Partitioned from worker-2')
    await expect(nodeCard(page, 'worker-2').locator('.fault-badge')).toHaveText('⚠ Partitioned from worker-1')

    await trigger(page, 'worker-2').click()
    await page.getByRole('menuitem', { name: 'Stall kube-proxy' }).click()
    await expect(activeFaults(page).getByRole('listitem')).toHaveCount(2)
    await activeFaults(page).getByRole('button', { name: 'Heal all' }).click()
    await expect(activeFaults(page)).toHaveCount(0)
  })

  test('a pod without a readiness probe cannot fail it (the menu says why); its container can crash, with a badge', async ({ page }) => {
    await fresh(page)
    // Reached with the keyboard: the view pans to the focused card, Tab goes on to its Faults button.
    await page.locator('.react-flow__node[data-id="pod:default/client"]').focus()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('button', { name: 'Faults on pod client' })).toBeFocused()
    await page.keyboard.press('Enter')
    const readiness = page.getByRole('menuitem', { name: /Fail its readiness probe/ })
    await expect(readiness).toHaveAttribute('aria-disabled', 'true')
    await expect(readiness).toContainText('no readiness probe')
    // Choosing it does nothing: the menu stays open.
    await readiness.click({ force: true })
    await expect(menu(page)).toBeVisible()
    await page.getByRole('menuitem', { name: 'Crash its container' }).click()
    await expect(page.locator('[data-kind="pod"][data-name="default/client"] .fault-badge')).toHaveText('⚠ Crashing')
    await expect(activeFaults(page)).toContainText('Container crashing: default/client')
  })

  test('the inspector offers the same menu; the control plane cannot go down, and says why', async ({ page }) => {
    await fresh(page)
    await page.locator('.react-flow__node[data-id="node:control-plane"]').focus()
    await page.keyboard.press('Enter')
    await page.getByRole('tabpanel').getByRole('button', { name: 'Faults on control-plane' }).click()
    await expect(page.getByRole('menuitem', { name: /Stop the node/ })).toHaveAttribute('aria-disabled', 'true')
    await expect(page.getByRole('menuitem', { name: /Stop the node/ })).toContainText('control plane')
  })

  for (const size of SIZES) {
    test(`screenshots to look at: the menu open and faults active, at ${size.width}x${size.height}`, async ({ page }) => {
      await page.setViewportSize(size)
      await fresh(page)
      await trigger(page, 'worker-1').click()
      await page.getByRole('menuitem', { name: /Cut the network to/ }).hover()
      await expect(page.getByRole('menu', { name: 'Cut the network to' })).toBeVisible()
      await page.screenshot({ path: `/tmp/shots/faults-menu-${size.width}x${size.height}.png` })
      await page.getByRole('menuitem', { name: 'Stop the node (kubelet down, cut off)' }).click()
      // A web pod on worker-2, reached with the keyboard (the view pans to it), its menu opened from there.
      const pod = (await page.locator('.react-flow__node[data-id^="pod:default/web-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!)))[1]!
      await page.locator(`.react-flow__node[data-id="${pod}"]`).focus()
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await page.getByRole('menuitem', { name: 'Fail its readiness probe' }).click()
      await page.waitForTimeout(1500)
      await page.screenshot({ path: `/tmp/shots/faults-active-${size.width}x${size.height}.png` })
    })
  }
})
