import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { fresh, hops, send, SIZES } from './app'
import { textUnder } from './legibility'

/** Where the screenshots of the modes go, to be looked at. */
const SHOTS = '/tmp/shots'

const mode = (page: Page) => page.getByLabel('kube-proxy mode')
const details = (page: Page) => page.getByRole('region', { name: 'Packet at this hop' })
const rulesSummary = (page: Page, node: string) => page.locator('summary', { hasText: `Rules on ${node}:` })
const clusterIP = async (page: Page, service: string) => ((await page.locator(`[data-kind="service"][data-name="${service}"]`).textContent()) ?? '').match(/10\.\d+\.\d+\.\d+/)![0]

/**
 * Chooses a mode, and moves the clock on (it may be paused for a packet) past each kube-proxy's restart and first
 * sync in it, a watch latency or two later.
 */
async function switchTo(page: Page, to: string) {
  await mode(page).selectOption(to)
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Step 1 second' }).click()
}

/** Opens a Node's rules in the inspector (its card's name, as a student clicks it). */
async function openRules(page: Page, node: string) {
  await page.getByRole('tab', { name: 'Inspector' }).click()
  await page.locator(`[data-kind="node"][data-name="${node}"] .k8s-node-name`).click()
  await expect(rulesSummary(page, node)).toBeVisible()
}

/** Sends one request from the client to web, pauses it, and opens the hop whose step the list names `step`. */
async function hopNamed(page: Page, step: string) {
  await send(page)
  await page.getByRole('button', { name: 'Pause packet' }).click()
  // The request's hop (its DNS query went through the same kernel first).
  const hop = page.locator('.hops li.hop-request').filter({ has: page.locator('strong', { hasText: new RegExp(`^${step}$`) }) }).first()
  await hop.getByRole('button').click()
  await expect(details(page).getByRole('heading')).toContainText(step)
}

/** The page at both sizes, to be looked at, back at the first size after. */
async function shots(page: Page, name: string) {
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${SHOTS}/proxy-modes-${name}-${size.width}x${size.height}.png` })
  }
  await page.setViewportSize(SIZES[0])
}

/** Serious or critical axe violations, in words. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)
}

test.describe("kube-proxy's modes", () => {
  test('switched from the header: IPVS then nftables, each in the node rules and in a packet\'s hops', async ({ page }) => {
    test.setTimeout(90_000)
    await fresh(page)
    const web = await clusterIP(page, 'default/web')
    await expect(mode(page)).toHaveValue('iptables')
    await expect(page.locator('.proxy-mode-note')).toHaveText('iptables: rules walked in order')

    // IPVS: the setting says so at once; each node's rules follow at its kube-proxy's next sync.
    await switchTo(page, 'ipvs')
    await expect(page.locator('.proxy-mode-note')).toHaveText('IPVS: hash lookup, round robin')
    await openRules(page, 'worker-1')
    await expect(rulesSummary(page, 'worker-1')).toHaveText('Rules on worker-1: kube-proxy in IPVS mode', { timeout: 10_000 })
    await expect(page.locator('.rules-prompt')).toHaveText('root@worker-1:/# ipvsadm -Ln')
    const ipvsadm = page.getByLabel('ipvsadm -Ln on worker-1', { exact: true })
    await expect(ipvsadm).toContainText(new RegExp(`TCP\\s+${web.replace(/\./g, '\\.')}:80 rr`))
    // Web highlighted (the Service last selected, or chosen here): its virtual server and its three pods.
    await page.getByLabel('Highlight the rules of').selectOption('default/web')
    await expect(ipvsadm.locator('.hl')).toHaveCount(4)
    for (const form of ['ipvsadm -Ln --stats', 'ipset list', 'ip addr show kube-ipvs0', 'iptables-save']) {
      await page.getByRole('radio', { name: form, exact: true }).check()
      await expect(page.locator('.rules-prompt')).toHaveText(`root@worker-1:/# ${form}`)
    }
    await page.getByRole('radio', { name: 'ip addr show kube-ipvs0', exact: true }).check()
    await expect(page.getByLabel('ip addr show kube-ipvs0 on worker-1', { exact: true }).locator('.hl').first()).toContainText(`inet ${web}/32`)
    await page.getByRole('radio', { name: 'ipvsadm -Ln', exact: true }).check()
    await shots(page, 'ipvs-rules')

    await hopNamed(page, 'IPVS')
    const ipvsHop = details(page)
    await expect(ipvsHop.getByRole('definition').filter({ hasText: /^IPVS$/ })).toBeVisible()
    await expect(ipvsHop).toContainText(`looked up TCP ${web}:80 in IPVS virtual servers → -> 10.244.`)
    await expect(ipvsHop.locator('.hop-kernel-rule')).toContainText(`${web}:80 rr`)
    await expect(hops(page).filter({ hasText: 'DNAT (IPVS)' }).filter({ hasText: `${web}:80` })).toHaveCount(1)
    await shots(page, 'ipvs-hop')
    expect(await seriousViolations(page)).toEqual([])

    // nftables: the table ip kube-proxy, and a packet's one lookup in its service-ips map.
    await page.getByRole('button', { name: 'Hide packet details' }).click()
    await switchTo(page, 'nftables')
    await expect(page.locator('.proxy-mode-note')).toHaveText('nftables: one map lookup, no walk')
    await openRules(page, 'worker-1')
    await expect(rulesSummary(page, 'worker-1')).toHaveText('Rules on worker-1: kube-proxy in nftables mode', { timeout: 10_000 })
    await expect(page.locator('.rules-prompt')).toHaveText('root@worker-1:/# nft list ruleset')
    await expect(page.getByLabel('nft list ruleset on worker-1', { exact: true })).toContainText('table ip kube-proxy')
    await page.getByRole('radio', { name: /kube-proxy's nft transaction/ }).check()
    await expect(page.getByLabel("kube-proxy's nft transaction (what it writes) on worker-1", { exact: true })).toContainText('add table ip kube-proxy')
    await page.getByRole('radio', { name: 'nft list ruleset', exact: true }).check()
    await page.getByLabel('Highlight the rules of').selectOption('default/web')
    await shots(page, 'nftables-rules')

    await hopNamed(page, 'nftables')
    const nftHop = details(page)
    await expect(nftHop).toContainText('nftables · table ip kube-proxy')
    await expect(nftHop.locator('.hop-lookup').filter({ hasText: 'service-ips' }).first()).toContainText(`looked up ${web} . tcp . 80 in`)
    await shots(page, 'nftables-hop')
    expect(await seriousViolations(page)).toEqual([])
  })

  for (const size of SIZES) {
    test(`at ${size.width}x${size.height} the header keeps its two rows, and the mode, its note and the rules read at 16 px or more`, async ({ page }) => {
      await page.setViewportSize(size)
      await fresh(page)
      await switchTo(page, 'nftables')
      await openRules(page, 'worker-1')
      await expect(rulesSummary(page, 'worker-1')).toContainText('nftables mode', { timeout: 10_000 })
      // Two rows, with the rules open and with a packet paused ("paused for the packet" widens the toolbar): the
      // header's parts, by their vertical extent, fall in two bands.
      const rows = () => page.locator('.app-header > *').evaluateAll((els) => {
        const spans = els.map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0).map((r) => [r.top, r.bottom] as const).sort((a, b) => a[0] - b[0])
        const bands: [number, number][] = []
        for (const [top, bottom] of spans) {
          const last = bands[bands.length - 1]
          if (last && top < last[1]) last[1] = Math.max(last[1], bottom)
          else bands.push([top, bottom])
        }
        return bands.map(([t, b]) => `${Math.round(t)}-${Math.round(b)}`)
      })
      expect(await rows(), 'the rows of the header').toHaveLength(2)
      const note = (await page.locator('.proxy-mode-note').boundingBox())!
      expect(note.x + note.width).toBeLessThanOrEqual(size.width)
      const small = (await textUnder(page)).filter((t) => /proxy-mode|rules|hop-kernel/.test(t))
      expect(small).toEqual([])
      await page.screenshot({ path: `${SHOTS}/proxy-modes-header-${size.width}x${size.height}.png` })
      await hopNamed(page, 'nftables')
      await expect(page.getByText('paused for the packet')).toBeVisible()
      expect(await rows(), 'the rows of the header with a packet paused').toHaveLength(2)
    })
  }

  test('in the past the setting shows the mode of then and is disabled; live, the mode chosen', async ({ page }) => {
    await fresh(page)
    await mode(page).selectOption('ipvs')
    const slider = page.getByRole('slider', { name: 'Cluster time' })
    await slider.focus()
    await slider.press('Home')
    await expect(page.getByText('Showing the cluster at')).toBeVisible()
    await expect(mode(page)).toBeDisabled()
    await expect(mode(page)).toHaveValue('iptables')
    await slider.press('End')
    await expect(mode(page)).toBeEnabled()
    await expect(mode(page)).toHaveValue('ipvs')
  })
})
