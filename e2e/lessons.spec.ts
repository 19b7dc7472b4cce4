import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { textUnder } from './legibility'

const lessonRegion = (page: Page) => page.getByRole('region', { name: 'Lesson' })

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze()
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

test.describe('the first screen', () => {
  test('offers the lessons and Explore; a newcomer starts lesson 1 from it', async ({ page }) => {
    await page.goto('/')
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/')
    await expect(page.getByRole('button', { name: 'Explore' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'How a Service is found' })).toBeVisible()
    // Where to start is seen at once: the first lesson and Explore both in view without scrolling.
    await expect(page.getByRole('button', { name: 'Explore' })).toBeInViewport()
    await expect(page.getByRole('button', { name: 'How a Service is found' })).toBeInViewport()
    await page.screenshot({ path: 'test-results/welcome-1280x720.png' })
    expect(await textUnder(page)).toEqual([])
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.screenshot({ path: 'test-results/welcome-1920x1080.png' })
    await page.setViewportSize({ width: 1280, height: 720 })
    expect(await seriousViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'How a Service is found' }).click()
    await expect(lessonRegion(page)).toContainText('Step 1 of 11')
    await expect(page).toHaveURL(/\?lesson=how-a-service-is-found&step=1$/)
  })

  test('Explore opens the default cluster; ?seed=N alone still opens explore mode', async ({ page }) => {
    await page.goto('/')
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/')
    await page.getByRole('button', { name: 'Explore' }).click()
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toBeVisible()
    await expect(lessonRegion(page)).toHaveCount(0)
    await page.goto('/?seed=7')
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toBeVisible()
    // The Lessons button lists them in a dialog; Escape closes it, focus back on the button; a lesson starts from it.
    await page.getByRole('button', { name: 'Lessons' }).click()
    const dialog = page.getByRole('dialog', { name: 'Lessons' })
    await expect(dialog.getByRole('button', { name: 'Pods come and go, the Service stays' })).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Lessons' })).toBeFocused()
    await page.getByRole('button', { name: 'Lessons' }).click()
    await dialog.getByRole('button', { name: 'Pods come and go, the Service stays' }).click()
    await expect(lessonRegion(page)).toContainText('Step 1 of 7')
  })
})

test.describe('lesson 1, How a Service is found', () => {
  test('runs from start to end with Do it for me, in presenter mode, each step highlighted and shot at 1280x720', async ({ page }) => {
    test.setTimeout(120_000)
    await page.goto('/?lesson=how-a-service-is-found')
    await page.getByRole('button', { name: 'Presenter mode' }).click()
    await expect(page.getByRole('button', { name: 'Presenter mode' })).toHaveAttribute('aria-pressed', 'true')
    const region = lessonRegion(page)
    // No Service yet: the lesson starts before it exists.
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toHaveCount(0)
    for (let n = 1; n <= 11; n++) {
      await expect(region).toContainText(`Step ${n} of 11`)
      const doIt = region.getByRole('button', { name: 'Do it for me' })
      if (await doIt.isEnabled()) await doIt.click()
      await expect(region).toContainText('✓ Done')
      await expect(page.locator('[data-highlighted="true"]').first(), `step ${n} points at something on the graph`).toBeAttached()
      await page.waitForTimeout(300)
      await page.screenshot({ path: `test-results/lesson1-step${String(n).padStart(2, '0')}-presenter-1280x720.png` })
      if (n === 9) {
        await page.setViewportSize({ width: 1920, height: 1080 })
        await page.waitForTimeout(400)
        await page.screenshot({ path: 'test-results/lesson1-step09-presenter-1920x1080.png' })
        expect(await textUnder(page), 'step 9 at 1920x1080').toEqual([])
        await page.setViewportSize({ width: 1280, height: 720 })
      }
      const small = await textUnder(page)
      expect(small, `step ${n}`).toEqual([])
      const lessonPx = await region.locator('.lesson-text p').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
      expect(lessonPx).toBeGreaterThanOrEqual(22)
      await region.getByRole('button', { name: 'Next step' }).click()
    }
    await expect(region).toContainText('Your turn')
    await page.screenshot({ path: 'test-results/lesson1-tasks-presenter-1280x720.png' })
    expect(await seriousViolations(page)).toEqual([])
  })

  test('a presenter needs only the clicker: Right does each step, then moves on; Left goes back', async ({ page }) => {
    await page.goto('/?lesson=how-a-service-is-found')
    await page.getByRole('button', { name: 'Presenter mode' }).click()
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    const region = lessonRegion(page)
    await page.keyboard.press('ArrowRight')
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toBeVisible()
    await expect(region).toContainText('✓ Done')
    await page.keyboard.press('PageDown')
    await expect(region).toContainText('Step 2 of 11')
    await page.keyboard.press('ArrowLeft')
    await expect(region).toContainText('Step 1 of 11')
  })

  test('the student can do a step by hand and the lesson notices; Next event moves the story one event at a time', async ({ page }) => {
    await page.goto('/?lesson=how-a-service-is-found')
    const region = lessonRegion(page)
    await page.getByRole('tab', { name: 'YAML' }).click()
    await page.getByRole('textbox', { name: 'Manifest YAML' }).fill('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n')
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await expect(region).toContainText('✓ Done')
    for (let n = 2; n <= 3; n++) await region.getByRole('button', { name: 'Next step' }).click()
    await region.getByRole('button', { name: 'Next step' }).click()
    await expect(region).toContainText('Step 4 of 11')
    await expect(region).not.toContainText('✓ Done')
    // Each CoreDNS pod has its own watch: one catches up first, and the lesson says which one still lags.
    for (let i = 0; i < 5 && !(await region.textContent())?.includes('has not caught up yet'); i++) {
      const before = await region.textContent()
      await page.getByRole('button', { name: 'Next event' }).click()
      // Let the lesson redraw before reading it again, or a second click may pass the moment it waits for.
      await expect.poll(async () => (await region.textContent()) !== before, { timeout: 1000 }).toBe(true).catch(() => undefined)
    }
    await expect(region).toContainText(/coredns-[a-z0-9-]+ already answers for web; coredns-[a-z0-9-]+ has not caught up yet/)
    await expect(region).not.toContainText('✓ Done')
    // Only the pod that took the event in lights (the clock stands still, so it stays lit), and a watch event is drawn
    // on its way; not under reduced motion (the pods still light).
    const litDns = page.locator('[data-kind="pod"][data-name^="kube-system/coredns-"][data-active="true"]')
    await expect(litDns).toHaveCount(1)
    await expect(page.locator('.watch-dot').first()).toBeAttached()
    await page.screenshot({ path: 'test-results/lesson-1-coredns-catching-up-1280x720.png' })
    for (let i = 0; i < 5 && !(await region.textContent())?.includes('✓ Done'); i++) await page.getByRole('button', { name: 'Next event' }).click()
    await expect(region).toContainText('✓ Done')
    await expect(region).toContainText('every CoreDNS Pod answers web.default.svc.cluster.local')
    await expect(litDns).toHaveCount(2)
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.goto('/?lesson=how-a-service-is-found&step=4')
    await expect(region).toContainText('Step 4 of 11')
    for (let i = 0; i < 5 && !(await region.textContent())?.includes('✓ Done'); i++) await page.getByRole('button', { name: 'Next event' }).click()
    await expect(region).toContainText('✓ Done')
    await expect(page.locator('[data-kind="pod"][data-name^="kube-system/coredns-"][data-active="true"]').first()).toBeAttached()
    await expect(page.locator('.watch-dot')).toHaveCount(0)
  })

  test('opens at a step from ?lesson=&step=, and Restart lesson goes back to its start', async ({ page }) => {
    await page.goto('/?lesson=how-a-service-is-found&step=7')
    const region = lessonRegion(page)
    await expect(region).toContainText('Step 7 of 11')
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toBeVisible()
    await region.getByRole('button', { name: 'Restart lesson' }).click()
    await expect(region).toContainText('Step 1 of 11')
    await expect(page.locator('[data-kind="service"][data-name="default/web"]')).toHaveCount(0)
  })
})

test.describe('every lesson runs to its end with Do it for me', () => {
  for (const id of ['pods-come-and-go', 'dns-and-environment', 'from-the-internet', 'headless-and-externalname']) {
    test(id, async ({ page }) => {
      test.setTimeout(90_000)
      await page.goto(`/?lesson=${id}`)
      const region = lessonRegion(page)
      const total = Number(/Step 1 of (\d+)/.exec((await region.textContent()) ?? '')?.[1])
      expect(total).toBeGreaterThanOrEqual(5)
      for (let n = 1; n <= total; n++) {
        await expect(region).toContainText(`Step ${n} of ${total}`)
        const doIt = region.getByRole('button', { name: 'Do it for me' })
        if (await doIt.isEnabled()) await doIt.click()
        await expect(region, `step ${n}`).toContainText('✓ Done')
        await region.getByRole('button', { name: 'Next step' }).click()
      }
      await expect(region).toContainText('Your turn')
      await page.screenshot({ path: `test-results/lesson-${id}-tasks-1280x720.png` })
    })
  }
})

test.describe('share links and reset', () => {
  test('Copy link gives a link that reproduces the cluster and the step, leaving the saved cluster alone until kept', async ({ page, context }) => {
    await page.goto('/?seed=42')
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/?seed=42')
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(4)
    await page.waitForTimeout(1300)
    const mine = await page.evaluate(() => window.localStorage.getItem('service-discovery-simulator/scenario'))
    expect(mine).not.toBeNull()

    const other = await context.newPage()
    await other.goto('/?lesson=how-a-service-is-found&step=3')
    await other.getByRole('button', { name: 'Copy link' }).click()
    const link = await other.getByRole('textbox', { name: 'Share link' }).inputValue()
    expect(link).toMatch(/#share=[A-Za-z0-9_-]+$/)
    const pods = await other.locator('[data-kind="pod"][data-name^="default/web-"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name')} ${e.getAttribute('data-ip')}`).sort())

    await page.goto(link)
    await expect(lessonRegion(page)).toContainText('Step 3 of 11')
    expect(await page.locator('[data-kind="pod"][data-name^="default/web-"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name')} ${e.getAttribute('data-ip')}`).sort())).toEqual(pods)
    await expect(page.getByText('opened from a share link')).toBeVisible()
    await page.waitForTimeout(1300)
    // The user's own cluster is still the one saved (seed 42, scaled once), whatever the shared one does.
    const saved = (await page.evaluate(() => window.localStorage.getItem('service-discovery-simulator/scenario')))!
    expect(JSON.parse(saved)).toMatchObject({ seed: 42, actions: JSON.parse(mine!).actions })
    // Kept, the shared cluster becomes the one saved.
    await page.getByRole('button', { name: 'Keep this cluster' }).click()
    await expect(page.getByText('opened from a share link')).toHaveCount(0)
    await page.getByRole('button', { name: 'Next event' }).click()
    await expect.poll(async () => JSON.parse((await page.evaluate(() => window.localStorage.getItem('service-discovery-simulator/scenario')))!).seed).toBe(1)
  })

  test('a corrupt link says so and changes nothing', async ({ page }) => {
    await page.goto('/?seed=42')
    await page.evaluate(() => window.localStorage.clear())
    await page.goto('/?seed=42')
    await page.waitForTimeout(1300)
    const mine = await page.evaluate(() => window.localStorage.getItem('service-discovery-simulator/scenario'))
    await page.goto('/?seed=42#share=not-a-real-link')
    await expect(page.getByRole('alert')).toContainText('This share link cannot be opened')
    await expect(page.getByRole('alert')).toContainText('Nothing was changed.')
    await page.screenshot({ path: 'test-results/share-corrupt-1280x720.png' })
    await page.waitForTimeout(1300)
    const saved = (await page.evaluate(() => window.localStorage.getItem('service-discovery-simulator/scenario')))!
    expect(JSON.parse(saved)).toMatchObject({ seed: 42, actions: JSON.parse(mine!).actions })
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(3)
  })

  test('New cluster asks first, then starts afresh', async ({ page }) => {
    await page.goto('/?seed=42')
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(4)
    await page.getByRole('button', { name: 'New cluster' }).click()
    const dialog = page.getByRole('dialog', { name: 'Start a new cluster?' })
    await dialog.getByRole('button', { name: 'Start a new cluster' }).click()
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(3)
  })
})
