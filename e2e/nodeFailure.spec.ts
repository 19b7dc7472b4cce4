import { expect, test, type Page } from '@playwright/test'

const slider = (page: Page) => page.getByRole('slider', { name: 'Cluster time' })
const lesson = (page: Page) => page.getByRole('region', { name: 'Lesson' })

/** The step's own work: "Do it for me", then wait for the lesson to say it is done, then on to the next. */
async function doStep(page: Page): Promise<void> {
  await lesson(page).getByRole('button', { name: 'Do it for me' }).click()
  await expect(lesson(page).getByText('✓ Done')).toBeVisible({ timeout: 30_000 })
  await lesson(page).getByRole('button', { name: 'Next step' }).click()
}

test('a node killed from its Faults menu: its pods turn not ready and are replaced; the slider goes back to before, and the cluster continues from there', async ({ page }) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto('/?lesson=node-failure')
  await lesson(page).getByRole('button', { name: 'Next step' }).click()
  const before = await page.locator('[data-kind="pod"][data-name^="default/web-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name')).sort())
  // A second of the cluster running first, so that there is a moment before the fault to go back to.
  await page.getByRole('button', { name: 'Step 1 s' }).click()
  // Kill worker-1 as a teacher would: its Faults menu.
  await page.locator('[data-kind="node"][data-name="worker-1"]').getByRole('button', { name: /^Faults on worker-1\b/ }).click()
  await page.getByRole('menuitem', { name: 'Stop the node (kubelet down, cut off)' }).click()
  await expect(page.locator('[data-kind="node"][data-name="worker-1"]')).toContainText('Node down')
  await expect(lesson(page).getByText('✓ Done')).toBeVisible()
  await lesson(page).getByRole('button', { name: 'Next step' }).click()
  const stoppedAt = Number(await slider(page).inputValue())
  expect(stoppedAt).toBeGreaterThan(Number(await slider(page).getAttribute('min')))
  // Requests, the grace period, the pods not ready, the Service still answering, the eviction: the lesson's steps.
  for (let i = 0; i < 5; i++) await doStep(page)
  const after = await page.locator('[data-kind="pod"][data-name^="default/web-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name')).sort())
  expect(after.filter((n) => !before.includes(n)).length).toBeGreaterThan(0)
  await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]').filter({ hasText: 'Terminating' }).first()).toBeVisible()
  // Back to just before the node stopped: the old pods, all ready, and no replacement yet.
  await slider(page).fill(String(stoppedAt - 500))
  await expect(page.getByText('Showing the cluster at')).toBeVisible()
  await expect.poll(async () => page.locator('[data-kind="pod"][data-name^="default/web-"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name')).sort())).toEqual(before)
  await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]').filter({ hasText: 'Terminating' })).toHaveCount(0)
  await expect(page.locator('[data-kind="node"][data-name="worker-1"]')).not.toContainText('Node down')
  // And worker-2's rules as they were: every web pod's DNAT, worker-1's included.
  await page.locator('[data-kind="node"][data-name="worker-2"] .k8s-node-name').click()
  const rules = page.getByLabel('iptables rules of worker-2', { exact: true })
  for (const name of before) {
    const ip = await page.locator(`[data-kind="pod"][data-name="${name}"]`).innerText()
    const m = /10\.244\.\d+\.\d+/.exec(ip)
    if (m) await expect(rules).toContainText(`--to-destination ${m[0]}:8080`)
  }
  await page.getByRole('button', { name: 'Continue from here' }).click()
  await expect(page.getByText('Showing the cluster at')).toHaveCount(0)
  await expect(page.locator('[data-kind="node"][data-name="worker-1"]')).not.toContainText('Node down')
  await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible()
})
