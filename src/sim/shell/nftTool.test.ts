import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { nftablesTable } from '../controllers/kubeProxy/nftables/nftablesTable'
import { nftablesTransaction } from '../controllers/kubeProxy/nftables/nftablesTransaction'
import type { Service } from '../model/service'
import { defaultServiceSpec } from '../model/serviceAdmission'
import { nftListRuleset, priorityText, timeText } from './nftList'
import { nftCommand } from './nftTool'

const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: defaultServiceSpec({ clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }), status: { loadBalancer: {} } }
const table = nftablesTable({ services: IMap([['default/web', svc]]), endpointSlices: IMap(), syncedAt: 0 }, { name: 'worker-1', ip: '172.18.0.3' }, '10.244.0.0/16')
const nft = (...args: string[]) => nftCommand(table, args, '', {})

describe('nft on a node in nftables mode', () => {
  it('prints its version as Debian 12\'s nft does', () => {
    expect(nft('--version')).toEqual({ exitCode: 0, stdout: 'nftables v1.0.6 (Lester Gooch #5)\n', stderr: '' })
    expect(nft('-v').stdout).toBe(nft('--version').stdout)
  })

  it('refuses what it does not know as getopt does, and says which real options are not simulated', () => {
    expect(nft()).toEqual({ exitCode: 1, stdout: '', stderr: 'nft: no command specified\n' })
    expect(nft('--bogus').stderr).toBe("nft: unrecognized option '--bogus'\n")
    expect(nft('-x').stderr).toBe("nft: invalid option -- 'x'\n")
    expect(nft('-c', '-f').stderr).toBe("nft: option requires an argument -- 'f'\n")
    expect(nft('-a', 'list', 'ruleset').stderr).toBe('nft: -a is not simulated here\n')
  })

  it('checks a file from the working directory or standard input, -cf run together too', () => {
    const files = { 'kp.nft': nftablesTransaction(table) }
    expect(nftCommand(table, ['-cf', 'kp.nft'], '', files)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(nftCommand(table, ['--check', '--file=kp.nft'], '', files).exitCode).toBe(0)
    expect(nftCommand(table, ['-c', '-f', '-'], 'add rule ip kube-proxy services frob\n', {}).stderr).toBe(
      '/dev/stdin:1:37-37: Error: syntax error, unexpected newline\nadd rule ip kube-proxy services frob\n                                    ^\n',
    )
    // A fresh node with no kube-proxy table (iptables mode) accepts kube-proxy's transaction: it creates what it needs.
    expect(nftCommand(undefined, ['-c', '-f', 'kp.nft'], '', files).exitCode).toBe(0)
  })

  it('accepts its own listing back (nft -c -f of `nft list ruleset` output)', () => {
    expect(nftCommand(table, ['-c', '-f', 'l.nft'], '', { 'l.nft': nftListRuleset(table) })).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('writes a table no sync built as a transaction that rebuilds it', () => {
    const copy = { ...table }
    const files = { 'copy.nft': nftablesTransaction(copy) }
    expect(files['copy.nft']).not.toBe(nftablesTransaction(table))
    expect(nftCommand(undefined, ['-c', '-f', 'copy.nft'], '', files)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('does not change kube-proxy\'s ruleset: loading a file or adding a rule is refused in words', () => {
    expect(nftCommand(table, ['-f', 'kp.nft'], '', { 'kp.nft': nftablesTransaction(table) }).stderr).toMatch(/only -c \(--check\) is run/)
    expect(nft('add', 'rule', 'ip', 'kube-proxy', 'services', 'drop').stderr).toMatch(/only listing and -c/)
  })
})

describe('how nft 1.0.6 prints priorities and timeouts', () => {
  it('names a standard priority within 10 of it, where the hook allows that name', () => {
    expect(priorityText({ type: 'filter', hook: 'prerouting', priority: -110 })).toBe('dstnat - 10')
    expect(priorityText({ type: 'nat', hook: 'prerouting', priority: -100 })).toBe('dstnat')
    expect(priorityText({ type: 'nat', hook: 'output', priority: -100 })).toBe('-100')
    expect(priorityText({ type: 'filter', hook: 'output', priority: -90 })).toBe('-90')
    expect(priorityText({ type: 'nat', hook: 'postrouting', priority: 100 })).toBe('srcnat')
    expect(priorityText({ type: 'filter', hook: 'input', priority: 5 })).toBe('filter + 5')
  })

  it('writes timeouts in days, hours, minutes and seconds', () => {
    expect([timeText(10800), timeText(90), timeText(86400 + 61), timeText(0)]).toEqual(['3h', '1m30s', '1d1m1s', '0s'])
  })
})
