import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import { iptablesList } from './iptablesList'

const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n"
const restore = webCluster().kubeProxyRules('worker-2')!
const run = (line: string, text = restore) => iptablesList(text, line.split(' '))

describe('iptables -L on a node running the web Service', () => {
  it('shows the Service chain with port names and network names, or numbers with -n', () => {
    const chain = run('-t nat -L KUBE-SVC-CDGGSHYLG3RE2FKL').stdout.split('\n')
    expect(chain.slice(0, 3)).toEqual([
      'Chain KUBE-SVC-CDGGSHYLG3RE2FKL (1 references)',
      'target     prot opt source               destination         ',
      'KUBE-MARK-MASQ  tcp  -- !10.244.0.0/16        10.102.117.6         /* default/web:http cluster IP */ tcp dpt:http',
    ])
    expect(chain[3]).toContain('/* default/web:http -> 10.244.1.3:8080 */ statistic mode random probability 0.33333333349')
    expect(run('-t nat -L KUBE-SVC-CDGGSHYLG3RE2FKL -n').stdout.split('\n')[2]).toBe(
      'KUBE-MARK-MASQ  6    -- !10.244.0.0/16        10.102.117.6         /* default/web:http cluster IP */ tcp dpt:80',
    )
    expect(run('-L KUBE-FIREWALL').stdout).toContain('DROP       all  -- !loopback/8           loopback/8           /* block incoming localnet connections */ ! ctstate RELATED,ESTABLISHED,DNAT\n')
  })

  it('adds counters and interfaces with -v (any without -n, * with it), wider with -x, numbered with --line-numbers', () => {
    expect(run('-t nat -L POSTROUTING -v').stdout).toBe(
      'Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)\n' +
        ' pkts bytes target     prot opt in     out     source               destination         \n' +
        '    0     0 KUBE-POSTROUTING  all  --  any    any     anywhere             anywhere             /* kubernetes postrouting rules */\n' +
        '    0     0 FLANNEL-POSTRTG  all  --  any    any     anywhere             anywhere             /* flanneld masq */\n',
    )
    expect(run('-t nat -L KUBE-MARK-MASQ -n -v -x --line-numbers').stdout.split('\n').slice(1, 3)).toEqual([
      'num      pkts      bytes target     prot opt in     out     source               destination         ',
      '1           0        0 MARK       0    --  *      *       0.0.0.0/0            0.0.0.0/0            MARK or 0x4000',
    ])
  })

  it('prints one rule alone when asked for it by number, and nothing past the last', () => {
    expect(run('-t nat -L POSTROUTING 2').stdout).toBe('FLANNEL-POSTRTG  all  --  anywhere             anywhere             /* flanneld masq */\n')
    expect(run('-t nat -L POSTROUTING 3')).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('lists every table, even one kube-proxy never wrote, and a blank line between chains', () => {
    expect(run('-t raw -L').stdout).toBe('Chain PREROUTING (policy ACCEPT)\ntarget     prot opt source               destination         \n\nChain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n')
  })

  it('prints rules as iptables-save does with -S, policies and chains first', () => {
    const lines = run('-t nat -S').stdout.split('\n')
    expect(lines.slice(0, 5)).toEqual(['-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', '-N FLANNEL-POSTRTG'])
    expect(run('-t nat -S KUBE-MARK-MASQ -v').stdout).toBe('-N KUBE-MARK-MASQ\n-A KUBE-MARK-MASQ -c 0 0 -j MARK --set-xmark 0x4000/0x4000\n')
  })

  it('names an address the node knows from its /etc/hosts', () => {
    const r = iptablesList(restore, ['-t', 'nat', '-L', 'KUBE-SEP-V2PECCYPB6X2GSCW'], { hosts: new Map([['172.18.0.2', 'control-plane']]) })
    expect(r.stdout).toContain('KUBE-MARK-MASQ  all  --  control-plane        anywhere             /* default/kubernetes:https */\n')
  })
})

describe('iptables refusing what the real one refuses', () => {
  it('says a chain that does not exist is incompatible (iptables-nft 1.8.9), exit 1', () => {
    expect(run('-t nat -L KUBE-SVC-NOPE')).toEqual({ exitCode: 1, stdout: '', stderr: "iptables v1.8.9 (nf_tables): chain `KUBE-SVC-NOPE' in table `nat' is incompatible, use 'nft' tool.\n" })
  })

  it('answers bad arguments with its messages and exit codes', () => {
    expect(run('-L --foo')).toEqual({ exitCode: 2, stdout: '', stderr: `iptables v1.8.9 (nf_tables): unknown option "--foo"\n${TRY}` })
    expect(run('-t foo -L')).toEqual({ exitCode: 3, stdout: '', stderr: "iptables v1.8.9 (nf_tables): table 'foo' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n" })
    expect(run('-L INPUT 1 foo')).toEqual({ exitCode: 2, stdout: '', stderr: `Bad argument \`foo'\n${TRY}` })
    expect(run('-L -n -n').stderr).toBe(`iptables v1.8.9 (nf_tables): multiple -n flags not allowed\n${TRY}`)
    expect(run('-S -n').stderr).toBe(`iptables v1.8.9 (nf_tables): Illegal option \`-n' with this command\n${TRY}`)
    expect(run('-L --l').stderr).toBe(`iptables v1.8.9 (nf_tables): unknown option "--l"\n${TRY}`)
    expect(run('-t').stderr).toBe(`iptables v1.8.9 (nf_tables): option "-t" requires an argument\n${TRY}`)
  })

  it('reads options as getopt does: bundled, attached, and long ones by unique prefix', () => {
    const expected = run('-t nat -L POSTROUTING -n -v')
    for (const line of ['-tnat -nvL POSTROUTING', '--table=nat --list=POSTROUTING --numeric --verb', '-t nat -vnLPOSTROUTING']) expect(run(line), line).toEqual(expected)
  })

  it('refuses to change the rules: kube-proxy owns them', () => {
    expect(run('-A INPUT -j ACCEPT').exitCode).toBe(2)
  })
})
