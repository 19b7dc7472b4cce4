import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { fresh, hops, send, SIZES } from './app'
import { textUnder } from './legibility'

/** Nothing on screen under 16 px, and a screenshot of it to look at. */
async function legible(page: Page, name: string, size: { width: number; height: number }) {
  await page.waitForTimeout(400)
  await page.screenshot({ path: `test-results/legible-${name}-${size.width}x${size.height}.png` })
  expect(await textUnder(page), name).toEqual([])
}

test.describe('read from the back of a classroom', () => {
  for (const size of SIZES) {
    test(`at ${size.width}x${size.height} nothing a student reads is under 16 px, in every panel`, async ({ page }) => {
      test.setTimeout(90_000)
      await page.setViewportSize(size)
      await fresh(page)
      await page.getByText('Legend').click()
      await legible(page, 'cluster', size)
      await page.getByText('Legend').click()

      // A packet and its hops: the hop list, the details under the graph with the rule walk.
      await send(page)
      await page.getByRole('button', { name: 'Pause packet' }).click()
      await hops(page).filter({ hasText: 'DNAT' }).filter({ hasText: ':8080' }).getByRole('button').click()
      await legible(page, 'packet', size)
      await page.locator('.side-top').evaluate((el) => el.scrollTo(0, el.scrollHeight))
      await legible(page, 'hop-list', size)

      // A batch: the histogram and the counts on the pods.
      await page.getByLabel('Speed').selectOption('8')
      await send(page, { count: 10 })
      await expect(page.getByRole('heading', { name: /^10 of 10 requests sent/ })).toBeVisible({ timeout: 15_000 })
      await legible(page, 'batch', size)

      // A Node's rules and a pod's environment in the inspector.
      // Reached with the keyboard, as a card off screen would be: focused (the view pans to it), then Enter.
      await page.locator('.react-flow__node[data-id="node:worker-1"]').focus()
      await page.keyboard.press('Enter')
      await expect(page.getByRole('region', { name: 'Node worker-1' })).toBeVisible()
      await legible(page, 'node-rules', size)
      await page.locator('.react-flow__node[data-id="pod:default/client"]').focus()
      await page.keyboard.press('Enter')
      await expect(page.getByRole('region', { name: 'Pod default/client' })).toBeVisible()
      await page.getByText('Environment (fixed when the container started)').click()
      await legible(page, 'pod', size)

      // The YAML editor with an error, the kubectl tables.
      await page.getByRole('tab', { name: 'YAML' }).click()
      await page.getByRole('textbox', { name: 'Manifest YAML' }).fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec:\n  ports:\n  - port: 70000\n')
      await page.getByRole('button', { name: 'Apply', exact: true }).click()
      // The refusal is brought into sight, even where it falls below the panel's fold.
      await expect(page.getByRole('alert', { name: 'Apply errors' })).toBeInViewport()
      await legible(page, 'yaml-error', size)
      await page.getByRole('tab', { name: 'kubectl' }).click()
      await page.getByRole('checkbox', { name: '-o wide' }).check()
      await legible(page, 'kubectl', size)

      // The question before a large change.
      const spin = page.getByRole('spinbutton', { name: 'web replicas' })
      await spin.fill('5000')
      await spin.press('Enter')
      await expect(page.getByRole('dialog')).toBeVisible()
      await legible(page, 'confirm', size)
      const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`)).toEqual([])
      await page.getByRole('button', { name: 'Cancel' }).click()
    })
  }
})
