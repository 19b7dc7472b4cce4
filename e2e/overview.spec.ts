import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'

test.describe('the first page', () => {
  test('lists the simulated cluster as kubectl would, and the rules kube-proxy wrote', async ({ page }) => {
    await page.goto('/?seed=42')
    await expect(page.getByRole('heading', { name: 'Service Discovery Simulator' })).toBeVisible()
    const pods = page.getByRole('region', { name: /Pods/ }).getByRole('table')
    await expect(pods.getByRole('row', { name: /web-\w+-\w{5}.*Running/ })).toHaveCount(3)
    await expect(pods.getByRole('row', { name: /coredns-/ })).toHaveCount(2)
    const services = page.getByRole('region', { name: /Services/ }).getByRole('table')
    await expect(services.getByRole('row', { name: /kube-dns\s+ClusterIP\s+10\.96\.0\.10/ })).toBeVisible()
    await expect(services.getByRole('row', { name: /^default\s+web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/ })).toBeVisible()
    await expect(page.getByRole('region', { name: /kube-proxy rules/ }).getByRole('listitem')).toHaveCount(3)
    await expect(page.getByRole('region', { name: /What happened/ })).toContainText('Rewrote iptables rules')
  })

  test('shows one request hop by hop: DNS via CoreDNS, DNAT to a web pod, the reply from the ClusterIP', async ({ page }) => {
    await page.goto('/?seed=42')
    const hops = page.getByRole('list', { name: 'Hops' }).getByRole('listitem')
    await expect(hops.first()).toContainText('dns')
    await expect(hops.filter({ hasText: 'DNAT to 10.244.0.' }).first()).toBeVisible()
    const served = (await page.getByRole('region', { name: /One request/ }).getByRole('paragraph').innerText()).match(/at (10\.244\.\d+\.\d+):8080/)![1]!
    const pods = page.getByRole('region', { name: /Pods/ }).getByRole('table')
    await expect(pods.getByRole('row', { name: new RegExp(`web-\\w+-\\w{5}.*${served.replace(/\./g, '\\.')}`) })).toHaveCount(1)
    const clusterIP = (await page.getByRole('region', { name: /Services/ }).getByRole('row', { name: /^default\s+web\s/ }).innerText()).match(/10\.\d+\.\d+\.\d+/)![0]
    await expect(hops.last()).toContainText(`${clusterIP}:80`)
  })

  test('replays the same cluster from the same seed, and another from another', async ({ page }) => {
    const ips = async (seed: number) => {
      await page.goto(`/?seed=${seed}`)
      return page.getByRole('region', { name: /Services/ }).getByRole('row', { name: /^default\s+web/ }).innerText()
    }
    const first = await ips(7)
    expect(await ips(7)).toBe(first)
    expect(await ips(8)).not.toBe(first)
  })

  test('has no serious accessibility violations', async ({ page }) => {
    await page.goto('/?seed=42')
    await expect(page.getByRole('heading', { name: 'Service Discovery Simulator' })).toBeVisible()
    const results = await new AxeBuilder({ page }).analyze()
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([])
  })

  test('works offline: no request leaves the machine', async ({ page }) => {
    const outside: string[] = []
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:') outside.push(r.url())
    })
    await page.goto('/?seed=1')
    await expect(page.getByRole('heading', { name: 'Service Discovery Simulator' })).toBeVisible()
    await page.screenshot({ path: 'test-results/overview-1280x720.png', fullPage: false })
    expect(outside).toEqual([])
  })
})
