import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { fresh, SIZES } from './app'
import { textUnder } from './legibility'

test.describe('the example applications', () => {
  for (const size of SIZES) {
    test(`at ${size.width}x${size.height}: the guestbook is added beside what runs, every pod becomes Ready and its frontend answers from the Internet`, async ({ page }) => {
      await page.setViewportSize(size)
      await fresh(page)
      await page.getByRole('button', { name: 'Examples…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Example applications' })
      await expect(dialog).toContainText('nothing already running is removed or replaced')
      const guestbook = dialog.getByRole('listitem', { name: /Guestbook/ })
      await expect(guestbook).toContainText('Namespace guestbook')
      expect(await textUnder(page)).toEqual([])
      await page.screenshot({ path: `test-results/examples-${size.width}x${size.height}.png` })
      const serious = (await new AxeBuilder({ page }).include('.examples-dialog').analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => v.id)).toEqual([])
      await guestbook.getByRole('button', { name: 'Add to the cluster' }).click()
      await expect(dialog.getByRole('status', { name: /added/ })).toContainText('namespace/guestbook created')
      await dialog.getByRole('button', { name: 'Close' }).click()
      await expect(dialog).toBeHidden()
      await page.getByLabel('Speed').selectOption('8')
      // What ran before still runs; the guestbook's six pods join it and turn Ready.
      await expect(page.locator('[data-kind="pod"][data-name^="default/web-"][data-ready="true"]')).toHaveCount(3)
      await expect(page.locator('[data-kind="pod"][data-name^="guestbook/"][data-ready="true"]')).toHaveCount(6, { timeout: 20_000 })
      await expect(page.locator('[data-kind="service"][data-name="guestbook/frontend"]')).toContainText('NodePort')
      await page.waitForTimeout(600)
      await page.screenshot({ path: `test-results/guestbook-${size.width}x${size.height}.png` })
      // Its frontend answers on its NodePort from outside.
      const nodePort = ((await page.locator('[data-kind="service"][data-name="guestbook/frontend"]').innerText()).match(/NodePort (\d+)/) ?? [])[1]
      await page.getByRole('tab', { name: 'Traffic' }).click()
      await page.getByLabel('From', { exact: true }).selectOption('external')
      await page.getByLabel('Target host:port').fill(`172.18.0.3:${nodePort}`)
      await page.getByRole('button', { name: 'Send request' }).click()
      await page.getByRole('list', { name: 'Hops' }).getByRole('listitem').last().getByRole('button').click()
      await expect(page.getByRole('status').filter({ hasText: 'Served by' })).toContainText('guestbook/frontend-')
    })
  }

  test('adding the same example again creates nothing new, and says what it did', async ({ page }) => {
    await fresh(page)
    await page.getByRole('button', { name: 'Examples…' }).click()
    const shop = page.getByRole('dialog').getByRole('listitem', { name: /Online shop/ })
    await shop.getByRole('button', { name: 'Add to the cluster' }).click()
    await expect(shop.getByRole('status')).toContainText('deployment.apps/storefront created')
    await shop.getByRole('button', { name: 'Add to the cluster' }).click()
    await expect(shop.getByRole('status')).toContainText('namespace/shop unchanged')
    await expect(shop.getByRole('status')).toContainText('deployment.apps/storefront unchanged')
    await expect(shop.getByRole('status')).not.toContainText('created')
    await expect(shop.getByRole('status')).not.toContainText('configured')
  })
})
