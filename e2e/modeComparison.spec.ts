import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { fresh, SIZES } from './app'
import { cutOffRight, textUnder } from './legibility'

/** Where the screenshots go, to be looked at. */
const SHOTS = '/tmp/shots'

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Compare kube-proxy modes' })
const column = (page: Page, mode: string) => dialog(page).getByRole('region', { name: mode, exact: true })

/** Serious and critical axe violations inside the dialog, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('.modes-dialog').analyze()
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/** Opens the comparison from the Traffic tab, by keyboard, and waits for its three columns. */
async function openComparison(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Traffic' }).click()
  await page.getByRole('button', { name: 'Compare modes' }).focus()
  await page.keyboard.press('Enter')
  await expect(dialog(page)).toBeVisible()
  for (const mode of ['iptables', 'IPVS', 'nftables']) await expect(column(page, mode)).toBeVisible()
}

const walked = async (page: Page, mode: string) => Number(await dialog(page).getByTestId(`${mode}-walked`).textContent())

test.describe('one Service, three modes', () => {
  test('the same request in iptables, IPVS and nftables, its rules, its hops and a batch of 30, by keyboard', async ({ page }) => {
    await fresh(page)
    await openComparison(page)
    await expect(dialog(page).getByRole('combobox', { name: /^Service/ })).toHaveValue('default/web')
    await expect(dialog(page).getByRole('combobox', { name: /^Client pod/ })).toHaveValue('default/client')

    // The first packet walks KUBE-SERVICES in iptables mode; one lookup in the other two.
    expect(await walked(page, 'iptables')).toBeGreaterThan(await walked(page, 'ipvs'))
    expect(await walked(page, 'iptables')).toBeGreaterThan(await walked(page, 'nftables'))
    await expect(column(page, 'iptables')).toContainText('Walks KUBE-SERVICES rule by rule until the Service matches')
    await expect(column(page, 'IPVS')).toContainText('One hash lookup of the virtual server')
    await expect(column(page, 'nftables')).toContainText('One lookup in the service-ips map, then numgen picks an endpoint chain')

    // Each tool's own output, what decided highlighted.
    await expect(column(page, 'iptables').getByText('$ iptables-save')).toBeVisible()
    await expect(column(page, 'IPVS').getByText('$ ipvsadm -Ln')).toBeVisible()
    await expect(column(page, 'IPVS').getByText('$ ipset list')).toBeVisible()
    await expect(column(page, 'nftables').getByText('$ nft list ruleset')).toBeVisible()
    await expect(column(page, 'iptables').locator('mark').filter({ hasText: '-j DNAT' })).toHaveCount(1)
    await expect(column(page, 'IPVS').locator('mark').filter({ hasText: '->' })).toHaveCount(1)
    await expect(column(page, 'nftables').locator('mark').filter({ hasText: 'dnat to' })).toHaveCount(1)
    for (const mode of ['iptables', 'IPVS', 'nftables']) await expect(column(page, mode).getByRole('list', { name: `Hops in ${mode} mode` }).getByRole('listitem').filter({ hasText: /^worker-\d/ })).not.toHaveCount(0)

    // 30 new connections in each: IPVS's round robin splits them exactly.
    await dialog(page).getByRole('button', { name: 'Send 30 requests in each mode' }).focus()
    await page.keyboard.press('Enter')
    const ipvs = dialog(page).getByRole('table', { name: '30 new connections in IPVS mode, per pod' })
    await expect(ipvs.locator('td.num')).toHaveText(['10', '10', '10'])
    await expect(column(page, 'IPVS')).toContainText('Round robin (rr): each new connection goes to the next real server in turn, per node and per virtual server')
    for (const mode of ['iptables', 'nftables']) {
      const counts = (await dialog(page).getByRole('table', { name: `30 new connections in ${mode} mode, per pod` }).locator('td.num').allTextContents()).map(Number)
      expect(counts.reduce((a, b) => a + b, 0)).toBe(30)
    }
    expect(await seriousViolations(page)).toEqual([])

    // Escape closes it, and focus goes back to the button.
    await page.keyboard.press('Escape')
    await expect(dialog(page)).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Compare modes' })).toBeFocused()
  })

  test('rules walked and sync time against the number of Services, measured on Measure, with the numbers as a table', async ({ page }) => {
    test.setTimeout(180_000)
    await fresh(page)
    await openComparison(page)
    await dialog(page).getByRole('button', { name: 'Measure', exact: true }).click()
    await expect(dialog(page).getByRole('button', { name: 'Measure again' })).toBeVisible({ timeout: 150_000 })
    await dialog(page).getByText('The numbers as a table').click()
    const rows = dialog(page).getByRole('table').filter({ hasText: 'rules walked per new connection' }).locator('tbody tr')
    await expect(rows).toHaveCount(5)
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).map((t) => Number(t.replaceAll(',', '')))
    const [few, many] = [await cells(0), await cells(4)]
    // iptables: grows with the Services; IPVS and nftables: flat.
    expect(many[0]!).toBeGreaterThan(100 * few[0]!)
    expect(many[1]).toBe(few[1])
    expect(many[2]).toBe(few[2])
    console.log('measured', JSON.stringify(await Promise.all([0, 1, 2, 3, 4].map(cells))))
  })

  for (const size of SIZES) {
    test(`legible and whole at ${size.width}x${size.height}, screenshots to look at`, async ({ page }) => {
      test.setTimeout(180_000)
      await page.setViewportSize(size)
      await fresh(page)
      await openComparison(page)
      await dialog(page).getByRole('button', { name: 'Send 30 requests in each mode' }).click()
      await expect(dialog(page).getByRole('table', { name: '30 new connections in IPVS mode, per pod' })).toBeVisible()
      expect(await textUnder(page)).toEqual([])
      expect(await cutOffRight(page, '.modes-dialog')).toEqual([])
      await page.screenshot({ path: `${SHOTS}/compare-${size.width}x${size.height}.png` })
      const scrollTo = (l: ReturnType<Page['locator']>) => l.evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await scrollTo(column(page, 'iptables').getByRole('heading', { name: /^Rules consulted/ }))
      expect(await textUnder(page)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/compare-rules-${size.width}x${size.height}.png` })
      await scrollTo(column(page, 'IPVS').locator('.mode-rules').last())
      await page.screenshot({ path: `${SHOTS}/compare-spread-${size.width}x${size.height}.png` })

      await dialog(page).getByRole('button', { name: 'Measure', exact: true }).click()
      await expect(dialog(page).getByRole('button', { name: 'Measure again' })).toBeVisible({ timeout: 150_000 })
      await scrollTo(dialog(page).locator('.scaling-bar'))
      expect(await textUnder(page)).toEqual([])
      expect(await cutOffRight(page, '.scaling-figure')).toEqual([])
      await page.screenshot({ path: `${SHOTS}/compare-chart-${size.width}x${size.height}.png` })
    })
  }
})
