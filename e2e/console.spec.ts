import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { fresh, overlap } from './app'

/** Where the screenshots of the console go, to be looked at. */
const SHOTS = process.env['CONSOLE_SHOTS'] ?? 'test-results'

/** The rows a terminal shows (xterm's DOM renderer draws each row as a div). */
const screen = (page: Page, tab: string) => page.getByRole('tabpanel', { name: tab }).locator('.xterm-rows')

/** Types a line into the focused terminal, on a cleared screen (so the output is the first thing shown), and runs it. */
async function run(page: Page, line: string) {
  await page.keyboard.press('Control+l')
  await page.keyboard.type(line)
  await page.keyboard.press('Enter')
}

async function openConsole(page: Page) {
  await page.getByRole('button', { name: 'Console', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Console' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Terminal input, kubectl on your laptop' })).toBeFocused()
}

test.beforeEach(async ({ page }) => {
  // xterm writes its styles at run time: under the page's Content-Security-Policy that must break nothing.
  await page.addInitScript(() => {
    const seen = ((window as unknown as { cspViolations: string[] }).cspViolations = [] as string[])
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`))
  })
  await fresh(page)
})

test.afterEach(async ({ page }) => {
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
})

test.describe('the console', () => {
  test('kubectl typed in the console: get, describe, exec, scale, and the graph follows', async ({ page }) => {
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')

    await run(page, 'kubectl get svc')
    await expect(kubectl).toContainText('CLUSTER-IP')
    await expect(kubectl).toContainText(/kubernetes\s+ClusterIP\s+10\.96\.0\.1/)
    await expect(kubectl).toContainText(/web\s+ClusterIP/)

    await run(page, 'kubectl describe svc web')
    await expect(kubectl).toContainText('Endpoints:')

    await run(page, 'kubectl exec client -- nslookup web')
    await expect(kubectl).toContainText('Name:')
    await expect(kubectl).toContainText('web.default.svc.cluster.local')

    await run(page, 'kubectl scale deploy web --replicas=5')
    await expect(kubectl).toContainText('deployment.apps/web scaled')
    await expect(page.locator('[data-kind="pod"][data-name^="default/web-"]')).toHaveCount(5)
    await expect(page.getByRole('spinbutton', { name: 'web replicas' })).toHaveValue('5')

    // Looked at on both screens: the console under the graph, nothing overlapping, the header and side panel in place.
    mkdirSync(SHOTS, { recursive: true })
    await run(page, 'kubectl get pods')
    await expect(kubectl).toContainText(/NAME\s+READY\s+STATUS/)
    for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size)
      await page.waitForTimeout(400)
      const console = (await page.getByRole('region', { name: 'Console' }).boundingBox())!
      const side = (await page.getByRole('complementary', { name: 'Controls and details' }).boundingBox())!
      const header = (await page.locator('.app-header').boundingBox())!
      expect(overlap(console, side)).toBe(false)
      expect(overlap(console, header)).toBe(false)
      expect(console.y + console.height).toBeLessThanOrEqual(size.height + 1)
      expect(console.height).toBeGreaterThan(200)
      // The terminal's text is drawn at 16 px or more.
      const px = await kubectl.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
      expect(px).toBeGreaterThanOrEqual(16)
      await page.screenshot({ path: `${SHOTS}/console-${size.width}.png` })
    }
  })

  test('Tab completes commands, kinds and names; Up recalls; Ctrl-C cancels', async ({ page }) => {
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')
    await page.keyboard.type('kubectl desc')
    await page.keyboard.press('Tab')
    await page.keyboard.type('sv')
    await page.keyboard.press('Tab')
    await page.keyboard.type('w')
    await page.keyboard.press('Tab')
    await expect(kubectl).toContainText('student@laptop:~$ kubectl describe svc web')
    await page.keyboard.press('Control+c')
    await expect(kubectl).toContainText('kubectl describe svc web ^C')
    await page.keyboard.type('kubectl get n')
    await page.keyboard.press('Tab')
    await expect(kubectl).toContainText(/namespaces\s+nodes/)
    await page.keyboard.type('o')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect(kubectl).toContainText(/worker-1\s+Ready/)
    // Up brings the line back at the new prompt: it is shown twice, where it ran and where it waits.
    await page.keyboard.press('ArrowUp')
    await expect(kubectl.locator('div').filter({ hasText: /^student@laptop:~\$ kubectl get nodes\s*$/ })).toHaveCount(2)
  })

  test('a command that follows the cluster prints what is new until it ends: rollout status', async ({ page }) => {
    // The clock stopped while the rollout is started and watched: it is under way, whatever the machine's speed.
    await page.getByRole('button', { name: 'Pause' }).click()
    await page.getByLabel('Speed').selectOption('8')
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')
    await run(page, 'kubectl set image deployment/web web=nginxinc/nginx-unprivileged:1.28')
    await expect(kubectl).toContainText('deployment.apps/web image updated')
    await run(page, 'kubectl rollout status deployment/web')
    await expect(kubectl).toContainText(/Waiting for deployment (spec update|"web" rollout)/)
    await expect(kubectl.locator('div').filter({ hasText: /^student@laptop:~\$\s*$/ })).toHaveCount(0)
    await page.getByRole('button', { name: 'Play' }).click()
    await expect(kubectl).toContainText('deployment "web" successfully rolled out', { timeout: 20_000 })
    await expect(kubectl.locator('div').filter({ hasText: /^student@laptop:~\$\s*$/ })).toHaveCount(1)
  })

  test('kubectl get pods -w prints pods as they change, not as they age, until Ctrl-C', async ({ page }) => {
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')
    await run(page, 'kubectl get pods -w')
    await expect(kubectl).toContainText(/client\s+1\/1\s+Running/)
    await page.waitForTimeout(2500)
    await expect(kubectl.locator('div').filter({ hasText: /^client\s/ })).toHaveCount(1)
    await page.getByRole('button', { name: 'Scale up web' }).click()
    await expect(kubectl.locator('div').filter({ hasText: /^web-\S+\s+0\/1\s+(Pending|ContainerCreating)/ }).first()).toBeVisible({ timeout: 10_000 })
    // The rows already printed are not printed again because the new one realigned the table's columns.
    await expect(kubectl.locator('div').filter({ hasText: /^NAME\s/ })).toHaveCount(1)
    await expect(kubectl.locator('div').filter({ hasText: /^web-\S+\s+1\/1\s+Running/ })).toHaveCount(4, { timeout: 15_000 })
    await page.getByRole('tabpanel', { name: 'kubectl' }).click()
    await page.keyboard.press('Control+c')
    await expect(kubectl).toContainText('^C')
    await expect(kubectl.locator('div').filter({ hasText: /^\^C\s*$/ })).toHaveCount(1)
    await expect(kubectl.locator('div').filter({ hasText: /^student@laptop:~\$\s*$/ })).toHaveCount(1)
  })

  test('pasted lines run one by one, a pasted here-document as one command', async ({ page }) => {
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')
    // What the browser's paste (Ctrl-V, Ctrl-Shift-V, the context menu) hands the terminal's input.
    const paste = (text: string) =>
      page.getByRole('textbox', { name: 'Terminal input, kubectl on your laptop' }).evaluate((ta, t) => {
        const data = new DataTransfer()
        data.setData('text/plain', t)
        ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
      }, text)
    await paste('kubectl get deploy\nkubectl get ns\n')
    await expect(kubectl).toContainText(/web\s+3\/3/)
    await expect(kubectl).toContainText(/kube-system\s+Active/)
    await page.keyboard.press('Control+l')
    await paste('kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: pasted\nEOF\n')
    await expect(kubectl).toContainText('namespace/pasted created')
  })

  test('a here-document is read after "> " and applied as one', async ({ page }) => {
    await openConsole(page)
    const kubectl = screen(page, 'kubectl')
    for (const line of ['kubectl apply -f - <<EOF', 'apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: class', 'EOF']) {
      await page.keyboard.type(line)
      await page.keyboard.press('Enter')
    }
    await expect(kubectl).toContainText('> apiVersion: v1')
    await expect(kubectl).toContainText('namespace/class created')
  })

  test('shells in a pod and on a node: from kubectl exec -it, the inspector and the console’s own controls', async ({ page }) => {
    await openConsole(page)
    await run(page, 'kubectl exec -it client -- sh')
    await expect(page.getByRole('tab', { name: 'pod client' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByRole('textbox', { name: 'Terminal input, shell in pod default/client' })).toBeFocused()
    await run(page, 'cat /etc/resolv.conf')
    await expect(screen(page, 'pod client')).toContainText('root@client:/# cat /etc/resolv.conf')
    await expect(screen(page, 'pod client')).toContainText('search default.svc.cluster.local')
    await run(page, 'curl -v web | grep title')
    await expect(screen(page, 'pod client')).toContainText('<title>Welcome to nginx!</title>')
    await page.screenshot({ path: `${SHOTS}/console-pod-shell.png` })

    // The inspector of a Node opens a shell on it.
    await page.locator('.react-flow__node[data-id="node:worker-1"]').focus()
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Open a shell on this node' }).click()
    await expect(page.getByRole('tab', { name: 'node worker-1' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByRole('textbox', { name: 'Terminal input, shell on node worker-1' })).toBeFocused()
    await run(page, 'hostname')
    await expect(screen(page, 'node worker-1')).toContainText('root@worker-1:~# hostname')
    await run(page, 'iptables -t nat -L KUBE-SERVICES -n')
    await expect(screen(page, 'node worker-1')).toContainText('ADDRTYPE match dst-type LOCAL')
    await page.screenshot({ path: `${SHOTS}/console-node-shell.png` })

    // The console's own controls, and the tabs with the keyboard: arrows move, Delete closes a shell.
    await page.getByRole('combobox', { name: 'Node to open a shell on' }).selectOption('worker-2')
    await page.getByRole('button', { name: 'Open shell on a node' }).click()
    await expect(page.getByRole('tab', { name: 'node worker-2' })).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('Escape')
    await expect(page.getByRole('tab', { name: 'node worker-2' })).toBeFocused()
    await page.keyboard.press('ArrowLeft')
    await expect(page.getByRole('tab', { name: 'node worker-1' })).toBeFocused()
    await page.keyboard.press('Delete')
    await expect(page.getByRole('tab', { name: 'node worker-1' })).toHaveCount(0)
    await expect(page.getByRole('tab', { name: 'pod client' })).toHaveAttribute('aria-selected', 'true')
    // exit closes the shell it is typed in.
    await page.getByRole('tabpanel', { name: 'pod client' }).click()
    await run(page, 'exit')
    await expect(page.getByRole('tab', { name: 'pod client' })).toHaveCount(0)

    const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`)).toEqual([])
  })

  test('` opens and hides it, but types a backquote in a field', async ({ page }) => {
    const region = page.getByRole('region', { name: 'Console' })
    await page.getByRole('tab', { name: 'YAML' }).click()
    await page.getByRole('textbox', { name: 'Manifest YAML' }).focus()
    await page.keyboard.press('`')
    await expect(region).toHaveCount(0)
    await page.getByRole('tab', { name: 'YAML' }).focus()
    await page.keyboard.press('`')
    await expect(region).toBeVisible()
    // In the terminal it is a character like any other.
    await page.keyboard.type('echo `')
    await expect(screen(page, 'kubectl')).toContainText('echo `')
    await page.keyboard.press('Escape')
    await page.keyboard.press('`')
    await expect(region).toBeHidden()
    await expect(page.getByRole('button', { name: 'Console', exact: true })).toBeFocused()
  })

  test('its cursor blinks, but not with reduced motion', async ({ page }) => {
    await openConsole(page)
    await expect(page.locator('.xterm-rows .xterm-cursor.xterm-cursor-blink')).toHaveCount(1)
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.reload()
    await openConsole(page)
    await expect(page.locator('.xterm-rows .xterm-cursor')).toHaveCount(1)
    await expect(page.locator('.xterm-rows .xterm-cursor-blink')).toHaveCount(0)
  })
})
