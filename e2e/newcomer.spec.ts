import { expect, test, type Page } from '@playwright/test'
import { applyYaml, boxes, fresh, hops, inside, overlap, pane, send, SIZES, WEB_LB } from './app'
import { cutOffRight, textUnder } from './legibility'

/** Names a student reads on the graph's cards. */
const NAMES = '.pod-name, .k8s-node-name, .service-name, .slice-name, .external-title, .summary-title'

const packet = (page: Page) => page.locator('[data-kind="packet"]')
const label = (page: Page) => page.locator('[data-kind="packet-label"]')
const strip = (page: Page) => page.locator('#packet-details')

/** Steps the watched packet through every hop, calling `check` at each (with reduced motion: it stands still at each). */
async function everyHop(page: Page, check: (i: number) => Promise<void>) {
  await page.getByRole('button', { name: 'Pause packet' }).click()
  await hops(page).first().getByRole('button').click()
  const total = await hops(page).count()
  for (let i = 0; i < total; i++) {
    await expect(packet(page)).toHaveAttribute('data-hop', String(i))
    await check(i)
    if (i < total - 1) await page.getByRole('button', { name: 'Next hop' }).click()
  }
}

test.describe('what a newcomer meets', () => {
  for (const size of SIZES) {
    test(`at ${size.width}x${size.height}, the watched packet is in view at every hop, above its details, its label on no name`, async ({ page }) => {
      await page.setViewportSize(size)
      await page.emulateMedia({ reducedMotion: 'reduce' })
      await fresh(page)
      await send(page)
      await everyHop(page, async (i) => {
        const area = (await pane(page).boundingBox())!
        const details = (await strip(page).boundingBox())!
        const dot = (await packet(page).locator('.packet-dot').boundingBox())!
        const tag = (await label(page).boundingBox())!
        const at = await packet(page).getAttribute('data-at')
        const card = (await page.locator(`.react-flow__node[data-id="${at}"]`).boundingBox())!
        expect(inside(dot, area), `hop ${i + 1}: the packet is in the graph's view`).toBe(true)
        expect(inside(tag, area), `hop ${i + 1}: its label is in view`).toBe(true)
        expect(dot.y + dot.height <= details.y, `hop ${i + 1}: above the details`).toBe(true)
        // The card it is at is in view, or at least its top (a Node is taller than the view).
        expect(inside({ ...card, height: Math.min(card.height, 100) }, area), `hop ${i + 1}: ${at} is in view`).toBe(true)
        const covered = (await boxes(page, NAMES)).filter((n) => overlap(n, tag))
        expect(covered.map((n) => n.text), `hop ${i + 1}: the label covers no name`).toEqual([])
        if (i === 4) await page.screenshot({ path: `test-results/packet-in-view-${size.width}x${size.height}.png` })
      })
    })
  }

  test('fitting seven Services at 1280x720 keeps every card legible and pans instead of shrinking', async ({ page }) => {
    await fresh(page)
    await applyYaml(page, [1, 2, 3, 4].map((i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: extra-${i}\nspec:\n  selector:\n    app: web\n  ports:\n  - port: ${8000 + i}\n`).join('---\n'))
    await expect(page.locator('[data-kind="service"]')).toHaveCount(7)
    await page.getByRole('button', { name: 'Fit View' }).click()
    await page.waitForTimeout(600)
    const zoom = await page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a)
    expect(zoom).toBeGreaterThanOrEqual(16 / 14 - 0.001)
    expect(await textUnder(page)).toEqual([])
    // The view pans to what is off screen: the overview map shows where it is.
    await page.getByRole('button', { name: 'Overview map' }).click()
    await expect(page.getByRole('img', { name: 'Overview of the cluster' })).toBeVisible()
    await page.screenshot({ path: 'test-results/seven-services-1280x720.png' })
  })

  test("the watched packet's marker leaves when its journey ends or its details are closed, and follows its card when the graph is laid out anew", async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await fresh(page)
    await send(page)
    await page.getByRole('button', { name: 'Pause packet' }).click()
    // A new Service and its slice move every Node down: the packet moves with the card it is at.
    await hops(page).nth(1).getByRole('button').click()
    const at = (await packet(page).getAttribute('data-at'))!
    const offset = async () => {
      const dot = (await packet(page).locator('.packet-dot').boundingBox())!
      const card = (await page.locator(`.react-flow__node[data-id="${at}"]`).boundingBox())!
      return { dx: Math.round(dot.x - card.x), dy: Math.round(dot.y - card.y) }
    }
    const before = await offset()
    const top = (await page.locator(`.react-flow__node[data-id="${at}"]`).boundingBox())!.y
    await applyYaml(page, WEB_LB)
    // The clock stands still for the packet: the Service's EndpointSlice is written when time moves on (Next event).
    await page.getByRole('button', { name: 'Next event' }).click()
    await page.getByRole('tab', { name: 'Traffic' }).click()
    await expect(async () => expect((await page.locator(`.react-flow__node[data-id="${at}"]`).boundingBox())!.y).not.toBe(top)).toPass()
    await expect(async () => expect(await offset()).toEqual(before)).toPass()
    // Played to its end, it leaves the graph; the details stay.
    await page.getByRole('combobox', { name: 'Hops per second' }).selectOption('4')
    await page.getByRole('button', { name: 'Play packet' }).click()
    await expect(packet(page)).toHaveCount(0, { timeout: 15_000 })
    await expect(strip(page)).toBeVisible()
    // Replayed, it is back; its details closed, it goes.
    await page.getByRole('button', { name: 'Replay' }).click()
    await expect(packet(page)).toHaveCount(1)
    await page.getByRole('button', { name: 'Hide packet details' }).click()
    await expect(packet(page)).toHaveCount(0)
  })

  test('scaled-up and replacement pods come into view at 1280x720', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await fresh(page)
    const before = new Set(await page.locator('[data-kind="pod"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!)))
    const spin = page.getByRole('spinbutton', { name: 'web replicas' })
    await spin.fill('8')
    await spin.press('Enter')
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(8)
    const visible = async () => {
      const area = (await pane(page).boundingBox())!
      const fresh = (await page.locator('[data-kind="pod"]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!, ...JSON.parse(JSON.stringify(e.getBoundingClientRect())) })))).filter((p) => !before.has(p.name))
      return fresh.map((p) => [p.name, inside(p, area)] as const)
    }
    await expect(async () => expect((await visible()).every(([, seen]) => seen)).toBe(true)).toPass()
    // Starting pods say so within their cards: nothing runs past a card's edge.
    expect(await cutOffRight(page, '.pod-line')).toEqual([])
    expect(await cutOffRight(page, '.pod-name')).toEqual([])
    await page.screenshot({ path: 'test-results/scaled-up-1280x720.png' })
    // A deleted pod's replacement comes into view too.
    for (const [name] of await visible()) before.add(name)
    const victim = (await page.locator('[data-kind="pod"][data-name^="default/web-"]').first().getAttribute('data-name'))!
    await page.locator(`[data-kind="pod"][data-name="${victim}"]`).click({ force: true })
    await page.getByRole('button', { name: `Delete pod ${victim.split('/')[1]}` }).click()
    await page.getByLabel('Speed').selectOption('8')
    await expect(async () => {
      const added = await visible()
      expect(added.length).toBe(1)
      expect(added[0]![1]).toBe(true)
    }).toPass({ timeout: 15_000 })
  })

  test('the event list fills its space at 1920x1080, goes further back, can hide the API writes, and shows the object an event is about', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await fresh(page)
    await page.getByLabel('Speed').selectOption('8')
    for (const n of ['6', '2', '5', '3']) {
      const spin = page.getByRole('spinbutton', { name: 'web replicas' })
      await spin.fill(n)
      await spin.press('Enter')
      await page.waitForTimeout(1500)
    }
    const list = page.getByRole('list', { name: 'Events, newest first' })
    const side = (await page.getByRole('complementary', { name: 'Controls and details' }).boundingBox())!
    const box = (await list.boundingBox())!
    expect(box.height).toBeGreaterThan(420)
    expect(side.y + side.height - (box.y + box.height)).toBeLessThan(70)
    await expect(list.getByRole('listitem')).not.toHaveCount(0)
    expect(await list.getByRole('listitem').count()).toBeGreaterThan(60)
    await page.screenshot({ path: 'test-results/events-1920x1080.png' })
    // Further back than the first page.
    const first = await list.getByRole('listitem').count()
    await page.getByRole('button', { name: 'Show older events' }).click()
    expect(await list.getByRole('listitem').count()).toBeGreaterThan(first)
    // The user's own writes go API server -> etcd in the story; the components' writes (every change makes one) are
    // counted, and shown on request.
    await expect(list.locator('li[data-api-write="user"]')).not.toHaveCount(0)
    await expect(list.locator('li[data-api-write="component"]')).toHaveCount(0)
    await expect(page.getByText(/\(\d+ hidden\)/)).toBeVisible()
    await page.getByRole('checkbox', { name: /Every API server write/ }).check()
    await expect(list.locator('li[data-api-write="component"]')).not.toHaveCount(0)
    await page.getByRole('checkbox', { name: /Every API server write/ }).uncheck()
    // An event about a pod shows that pod: in the inspector, and on the graph.
    const event = list.getByRole('button', { name: /Pod default\/web-/ }).first()
    const pod = (await event.innerText()).match(/Pod (default\/web-[a-z0-9-]+)/)![1]!
    await event.click()
    await expect(page.getByRole('region', { name: `Pod ${pod}` })).toBeVisible()
    const card = page.locator(`[data-kind="pod"][data-name="${pod}"]`)
    if ((await card.count()) > 0) await expect(async () => expect(inside((await card.boundingBox())!, (await pane(page).boundingBox())!)).toBe(true)).toPass()
  })

  test("from the Internet the target becomes the Service's external address; with nothing exposed the form says so", async ({ page }) => {
    await fresh(page)
    await page.getByRole('tab', { name: 'Traffic' }).click()
    await page.getByLabel('From', { exact: true }).selectOption('external')
    await expect(page.getByText('Nothing is exposed outside the cluster yet')).toBeVisible()
    await page.getByLabel('From', { exact: true }).selectOption('default/client')
    await applyYaml(page, WEB_LB)
    await expect(page.locator('[data-kind="external"][data-name="load balancer"]')).toContainText('203.0.113.')
    await page.getByRole('tab', { name: 'Traffic' }).click()
    await page.getByLabel('Target host:port').fill('web-lb:80')
    await page.getByLabel('From', { exact: true }).selectOption('external')
    const lb = ((await page.locator('[data-kind="external"][data-name="load balancer"]').innerText()).match(/203\.0\.113\.\d+/) ?? [''])[0]
    await expect(page.getByLabel('Target host:port')).toHaveValue(`${lb}:80`)
    await page.getByRole('button', { name: 'Send request' }).click()
    await hops(page).last().getByRole('button').click()
    await expect(page.getByRole('status').filter({ hasText: 'Served by' })).toContainText('default/web-')
  })

  for (const size of SIZES) {
    test(`at ${size.width}x${size.height}, the kubectl tables show every column, without -o wide and with it`, async ({ page }) => {
      await page.setViewportSize(size)
      await fresh(page)
      await page.getByRole('tab', { name: 'kubectl' }).click()
      await expect(page.locator('.kubectl-table')).toHaveCount(3)
      expect(await cutOffRight(page, '.kubectl-table')).toEqual([])
      expect(await cutOffRight(page, '.kubectl table')).toEqual([])
      await page.getByRole('checkbox', { name: '-o wide' }).check()
      await expect(page.locator('.kubectl caption').first()).toContainText('-o wide')
      expect(await cutOffRight(page, '.kubectl-table')).toEqual([])
      expect(await cutOffRight(page, '.kubectl table')).toEqual([])
      expect(await textUnder(page)).toEqual([])
      await page.screenshot({ path: `test-results/kubectl-wide-${size.width}x${size.height}.png` })
    })
  }

  test('the Internet and the load balancer have lines to every Node and to each other; with the overview map open they stay clear of it', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await fresh(page)
    await applyYaml(page, WEB_LB)
    await expect(page.locator('[data-kind="external"][data-name="load balancer"]')).toContainText('203.0.113.')
    const nodes = await page.locator('[data-kind="node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!))
    for (const node of nodes) {
      for (const from of ['internet', 'lb']) {
        const edge = page.locator(`[data-testid="rf__edge-e:${from}>node:${node}"] path`).first()
        await expect(edge).toHaveCount(1)
      }
    }
    await expect(page.locator('[data-testid="rf__edge-e:internet>lb"]')).toHaveCount(1)
    const lb = ((await page.locator('[data-kind="external"][data-name="load balancer"]').innerText()).match(/203\.0\.113\.\d+/) ?? [''])[0]
    await page.getByRole('button', { name: 'Overview map' }).click()
    const map = page.getByRole('img', { name: 'Overview of the cluster' })
    await expect(map).toBeVisible()
    await send(page, { from: 'external', to: `${lb}:80` })
    await everyHop(page, async (i) => {
      const at = await packet(page).getAttribute('data-at')
      if (!at?.startsWith('ext:')) return
      const box = (await page.locator(`.react-flow__node[data-id="${at}"]`).boundingBox())!
      expect(overlap(box, (await map.boundingBox())!), `hop ${i + 1}: ${at} is clear of the overview map`).toBe(false)
      expect(inside(box, (await pane(page).boundingBox())!), `hop ${i + 1}: ${at} is in view`).toBe(true)
      expect(inside((await label(page).boundingBox())!, (await pane(page).boundingBox())!), `hop ${i + 1}: the label is in view`).toBe(true)
    })
    await page.screenshot({ path: 'test-results/outside-world-1280x720.png' })
  })

  test("pod cards keep their Deployment's name and their own suffix, cutting only the middle", async ({ page }) => {
    await fresh(page)
    await page.getByRole('button', { name: 'Examples…' }).click()
    await page.getByRole('listitem', { name: /Online shop/ }).getByRole('button', { name: 'Add to the cluster' }).click()
    await page.getByRole('button', { name: 'Close' }).click()
    await expect(page.locator('[data-kind="pod"][data-name^="shop/recommender-"]')).toHaveCount(1)
    const cards = await page.locator('[data-kind="pod"]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-name')!.split('/')[1]!, shown: e.querySelector('.pod-name')!.firstChild!.textContent! })))
    for (const { name, shown } of cards) {
      const parts = name.split('-')
      const suffix = parts.length > 2 ? `-${parts.at(-1)}` : ''
      const deployment = parts.length > 2 ? parts.slice(0, -2).join('-') : name
      expect(shown.startsWith(deployment), `${name} shown as ${shown}`).toBe(true)
      expect(shown.endsWith(suffix), `${name} shown as ${shown}`).toBe(true)
    }
    expect(cards.some(({ name, shown }) => name !== shown)).toBe(true)
  })

  test('during a batch each pod on the graph says how many requests it served, as many as the histogram', async ({ page }) => {
    await fresh(page)
    await page.getByLabel('Speed').selectOption('8')
    await send(page, { count: 100 })
    await expect(page.getByRole('heading', { name: /^100 of 100 requests sent/ })).toBeVisible({ timeout: 30_000 })
    await page.waitForTimeout(400)
    const onGraph = await page.locator('[data-kind="pod"][data-served]').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-name')!.split('/')[1]!, Number(e.getAttribute('data-served'))])))
    const histogram = await page.getByRole('table', { name: 'Requests per pod' }).locator('tbody tr').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.querySelector('th')!.textContent!, Number(tr.querySelector('.num')!.textContent)])))
    for (const [pod, n] of Object.entries(histogram)) expect(onGraph[pod] ?? 0, pod).toBe(n)
    expect(Object.values(onGraph).reduce((a, b) => a + b, 0)).toBe(100)
    await expect(page.locator('[data-kind="pod"] .pod-served').first()).toHaveText(/^\d+ served$/)
    await page.screenshot({ path: 'test-results/batch-counts-1280x720.png' })
  })

  test('a keyboard user reaches the packet details in two Tabs from the top, one from the send button', async ({ page }) => {
    await fresh(page)
    await page.getByRole('tab', { name: 'Traffic' }).click()
    await page.getByRole('button', { name: 'Send request' }).focus()
    await page.keyboard.press('Enter')
    await expect(packet(page)).toHaveCount(1)
    // From the send button: one Tab to the link, Enter to the details.
    await page.keyboard.press('Tab')
    await expect(page.getByRole('link', { name: "Go to the packet's details" })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(strip(page)).toBeFocused()
    // From the top of the page: the first two stops of the Tab key are the skip links, the second to the packet.
    const stops = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')]
        .filter((e) => e.tabIndex >= 0 && !e.hasAttribute('disabled') && e.getClientRects().length > 0)
        .slice(0, 2)
        .map((e) => e.textContent?.trim()),
    )
    expect(stops).toEqual(['Skip to the controls', "Skip to the packet's details"])
    await page.getByRole('link', { name: 'Skip to the controls' }).focus()
    await page.keyboard.press('Tab')
    await expect(page.getByRole('link', { name: "Skip to the packet's details" })).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(strip(page)).toBeFocused()
    // There the arrow keys step through the hops.
    await page.getByRole('button', { name: 'Pause packet' }).click()
    await strip(page).focus()
    const hop = await page.locator('.hop-details').getAttribute('data-hop')
    await page.keyboard.press('ArrowRight')
    await expect(page.locator('.hop-details')).not.toHaveAttribute('data-hop', hop!)
  })
})
