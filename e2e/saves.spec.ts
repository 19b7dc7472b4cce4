import AxeBuilder from '@axe-core/playwright'
import { readFileSync, writeFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'

const KEY = 'service-discovery-simulator/scenario'
const webPods = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"]')
const readyWebPods = (page: Page) => page.locator('[data-kind="pod"][data-name^="default/web-"][data-ready="true"]')
const podNames = (page: Page) => webPods(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')).sort())

/** Both projector sizes: the shot at 1280x720, then at 1920x1080, and back. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/${name}-1280x720.png` })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.screenshot({ path: `test-results/${name}-1920x1080.png` })
  await page.setViewportSize({ width: 1280, height: 720 })
}

/** Leaves `value` as the save, written before the app's scripts run (as if by an older or broken version), and reloads. */
async function corruptSave(page: Page, value: string) {
  await page.addInitScript(
    ([key, v]) => {
      if (sessionStorage.getItem('corrupted')) return
      sessionStorage.setItem('corrupted', '1')
      localStorage.setItem(key!, v!)
    },
    [KEY, value],
  )
  await page.goto('/')
}

test.beforeEach(async ({ page }) => {
  await page.goto('/?seed=42')
  await page.evaluate(() => window.localStorage.clear())
  await page.goto('/?seed=42')
  await expect(readyWebPods(page)).toHaveCount(3)
})

test.describe('scenario files and saves', () => {
  test('export, then import into another cluster: asked first, the exported cluster comes back whole', async ({ page }, info) => {
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(readyWebPods(page)).toHaveCount(4, { timeout: 15_000 })
    const names = await podNames(page)
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export scenario' }).click()
    const file = info.outputPath((await download).suggestedFilename())
    await (await download).saveAs(file)
    expect(file).toMatch(/scenario-seed-42-at-\d+s\.json$/)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 3, seed: 42 })

    // Another cluster entirely, then the file.
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/?seed=9')
    await expect(readyWebPods(page)).toHaveCount(3)
    expect(await podNames(page)).not.toEqual(names)
    await page.locator('input[type="file"]').setInputFiles(file)
    const dialog = page.getByRole('dialog', { name: 'Replace the current cluster?' })
    await expect(dialog).toContainText('is lost unless you export it first')
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
    await shoot(page, 'import-confirm')
    const axe = await new AxeBuilder({ page }).include('dialog').analyze()
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
    await dialog.getByRole('button', { name: 'Replace the cluster' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(webPods(page)).toHaveCount(4)
    expect(await podNames(page)).toEqual(names)
    // And it is the saved cluster now: a reload brings it back.
    await page.waitForTimeout(1200)
    await page.goto('/')
    await expect(webPods(page)).toHaveCount(4)
    expect(await podNames(page)).toEqual(names)
  })

  test('cancelling an import keeps the cluster as it was', async ({ page }, info) => {
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export scenario' }).click()
    const file = info.outputPath('mine.json')
    await (await download).saveAs(file)
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(webPods(page)).toHaveCount(4)
    await page.locator('input[type="file"]').setInputFiles(file)
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('dialog')).toHaveCount(0)
    await expect(webPods(page)).toHaveCount(4)
  })

  test('a bad file is refused with what is wrong in it, and nothing changes', async ({ page }, info) => {
    const names = await podNames(page)
    const file = info.outputPath('broken-scenario.json')
    writeFileSync(file, JSON.stringify({ version: 2, seed: 1, workers: 2, start: { kind: 'created', manifest: '' }, actions: [{ type: 'scale', namespace: 'default', name: 'web', replicas: -4, at: 0 }], now: 0 }))
    await page.locator('input[type="file"]').setInputFiles(file)
    const dialog = page.getByRole('dialog', { name: 'This file cannot be imported' })
    await expect(dialog).toContainText('“broken-scenario.json” cannot be imported: actions[0]: replicas: must be a whole number from 0 up; it is -4. Nothing was changed.')
    await shoot(page, 'import-refused')
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    expect(await podNames(page)).toEqual(names)
  })

  test('a file dropped on the page is imported the same way', async ({ page }) => {
    const text = JSON.stringify({ version: 2, seed: 3, workers: 2, start: { kind: 'created', manifest: '' }, actions: [], now: 0 })
    const data = await page.evaluateHandle((t) => {
      const dt = new DataTransfer()
      dt.items.add(new File([t], 'empty-cluster.json', { type: 'application/json' }))
      return dt
    }, text)
    await page.dispatchEvent('main', 'dragenter', { dataTransfer: data })
    await expect(page.getByText('Drop a scenario file to import it')).toBeVisible()
    await shoot(page, 'import-drop')
    await page.dispatchEvent('main', 'drop', { dataTransfer: data })
    await expect(page.getByText('Drop a scenario file to import it')).toHaveCount(0)
    await page.getByRole('dialog', { name: 'Replace the current cluster?' }).getByRole('button', { name: 'Replace the cluster' }).click()
    await expect(webPods(page)).toHaveCount(0)
  })

  test('when the browser storage is full, the toolbar says the cluster is not saved and offers the export', async ({ page }) => {
    // Fill the storage to the brim before the app starts, as other pages of the same site could have.
    await page.addInitScript(() => {
      if (sessionStorage.getItem('filled')) return
      sessionStorage.setItem('filled', '1')
      localStorage.clear()
      let size = 1 << 22
      for (let i = 0; size >= 64; i++) {
        try {
          localStorage.setItem(`filler-${i}`, 'x'.repeat(size))
        } catch {
          size >>= 1
        }
      }
    })
    await page.reload()
    await expect(readyWebPods(page)).toHaveCount(3)
    const status = page.getByRole('status').filter({ hasText: 'Not saved' })
    await expect(status).toHaveText('Not saved: browser storage is full. Export the scenario to keep it.')
    await shoot(page, 'save-full')
    const download = page.waitForEvent('download')
    await status.getByRole('button', { name: 'Export the scenario' }).click()
    expect((await download).suggestedFilename()).toMatch(/^scenario-seed-42-/)
    // Room again: the next save goes through and the word goes away.
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('filler-')) localStorage.removeItem(k)
    })
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(status).toHaveCount(0)
  })

  test('a corrupt save (a clock of 1e300) gives a notice in plain words, the old data to download, and a fresh cluster', async ({ page }) => {
    await page.waitForTimeout(1200)
    const saved = await page.evaluate((key) => localStorage.getItem(key), KEY)
    expect(saved).not.toBeNull()
    await corruptSave(page, JSON.stringify({ ...JSON.parse(saved!), now: 1e300 }))
    const notice = page.getByRole('alert').filter({ hasText: 'could not be restored' })
    await expect(notice).toContainText('Your saved cluster could not be restored: now: must be a virtual time from 0 to 3,155,760,000,000 ms (100 years); it is 1e+300. A fresh cluster was started instead.')
    await expect(notice).not.toContainText('Error')
    await expect(page.getByRole('link', { name: 'Download the old data' })).toBeVisible()
    await expect(readyWebPods(page)).toHaveCount(3)
    await shoot(page, 'corrupt-save')
  })

  test('a save whose manifest the engine refuses is not turned into an empty cluster: the notice says why', async ({ page }) => {
    const bad = JSON.stringify({ version: 2, seed: 42, workers: 2, start: { kind: 'created', manifest: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 70000\n' }, actions: [], now: 0 })
    await corruptSave(page, bad)
    await expect(page.getByRole('alert')).toContainText('its starting manifest is refused: The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000')
    await expect(readyWebPods(page)).toHaveCount(3)
  })
})
