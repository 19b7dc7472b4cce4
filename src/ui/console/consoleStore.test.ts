import { describe, expect, it } from 'vitest'
import { createConsoleStore, tabLabel } from './consoleStore'

describe('the console and its tabs', () => {
  it('starts hidden with the laptop tab only; opening it asks for the focus', () => {
    const c = createConsoleStore()
    expect(c.getState()).toMatchObject({ open: false, mounted: false, active: 'laptop' })
    c.getState().toggle()
    expect(c.getState()).toMatchObject({ open: true, mounted: true, focusRequest: 1 })
    c.getState().toggle()
    expect(c.getState()).toMatchObject({ open: false, mounted: true })
  })

  it('opens a shell in a tab of its own, once, and shows it', () => {
    const c = createConsoleStore()
    c.getState().openShell({ pod: 'client' })
    c.getState().openShell({ node: 'worker-1' })
    c.getState().openShell({ pod: 'default/client' })
    expect(c.getState().tabs.map((t) => t.id)).toEqual(['laptop', 'pod:default/client', 'node:worker-1'])
    expect(c.getState()).toMatchObject({ open: true, active: 'pod:default/client' })
    expect(c.getState().tabs.map(tabLabel)).toEqual(['kubectl', 'pod client', 'node worker-1'])
  })

  it('closing the tab shown shows the one before it; the laptop tab stays', () => {
    const c = createConsoleStore()
    c.getState().openShell({ pod: 'kube-system/coredns-1' })
    c.getState().openShell({ node: 'worker-1' })
    c.getState().close('node:worker-1')
    expect(c.getState().active).toBe('pod:kube-system/coredns-1')
    expect(tabLabel(c.getState().tabs[1]!)).toBe('pod kube-system/coredns-1')
    c.getState().close('laptop')
    c.getState().close('pod:kube-system/coredns-1')
    expect(c.getState().tabs.map((t) => t.id)).toEqual(['laptop'])
    expect(c.getState().active).toBe('laptop')
  })
})
