import { describe, expect, it } from 'vitest'
import { formatTabbed, LEVEL_1, tabbedString } from './prefixWriter'

/** Expected texts worked out by hand from Go's text/tabwriter (format, writeLines) with kubectl's settings. */
describe("kubectl describe's tabwriter", () => {
  it('pads a column to its widest cell plus two, across the run of lines that have that column', () => {
    expect(formatTabbed('Name:\tweb\nNamespace:\tdefault\n')).toBe('Name:       web\nNamespace:  default\n')
  })

  it('starts the layout over after a line without a tab', () => {
    expect(formatTabbed('Name:\tweb\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/x\n'))
      .toBe('Name:  web\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/x\n')
  })

  it('pads a tab-terminated cell even when nothing follows it, and gives an empty column the padding alone', () => {
    expect(formatTabbed('a:\t\nbbb:\tx\n')).toBe('a:    \nbbb:  x\n')
    expect(formatTabbed('N\tName\t\tAge\nkube\tp\t\t5s\n')).toBe('N     Name    Age\nkube  p       5s\n')
  })

  it('aligns nested columns only among the lines of the enclosing block', () => {
    expect(formatTabbed('Port:\thttp\t80/TCP\nTargetPort:\thttp/TCP\n')).toBe('Port:        http  80/TCP\nTargetPort:  http/TCP\n')
  })

  it('lays out what was written before a flush apart from what comes after', () => {
    const text = tabbedString((w) => {
      w.write(0, 'Name:\tweb\n')
      w.flush()
      w.write(LEVEL_1, 'Type\tReason\n')
    })
    expect(text).toBe('Name:  web\n  Type  Reason\n')
  })

  it('escapes terminal control characters before measuring, as printers.WriteEscaped does', () => {
    expect(tabbedString((w) => w.write(0, 'a:\t\u001b[31mred\rx\n'))).toBe('a:  ^[[31mred\\rx\n')
  })
})
