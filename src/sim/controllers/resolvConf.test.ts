import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'

/** A pod named `name` with the given spec fields, as YAML. */
const pod = (name: string, spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${spec}
  containers:
  - name: c
    image: busybox:1.36
`

describe("a pod's resolv.conf, as the kubelet writes it", () => {
  it('dnsPolicy None: only what dnsConfig says', () => {
    const sim = webCluster()
    const r = sim.apply(pod('custom', `  dnsPolicy: None
  dnsConfig:
    nameservers: ["1.1.1.1"]
    searches: ["corp.example"]
    options:
    - name: ndots
      value: "2"
    - name: edns0`))
    expect(r.ok).toBe(true)
    sim.settle()
    expect(sim.resolvConf('default/custom')).toBe('search corp.example\nnameserver 1.1.1.1\noptions ndots:2 edns0\n')
  })

  it('ClusterFirst with a dnsConfig: its nameservers and searches after the cluster\'s, its options winning by name', () => {
    const sim = webCluster()
    sim.apply(pod('tuned', `  dnsConfig:
    nameservers: ["10.96.0.10", "8.8.8.8"]
    searches: ["default.svc.cluster.local", "corp.example"]
    options:
    - name: ndots
      value: "1"`))
    sim.settle()
    expect(sim.resolvConf('default/tuned')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:1\n')
    // With ndots:1, a name with a dot is tried as it is first: "web.default" goes out before the search list.
    expect(sim.resolve('default/tuned', 'web.default', 'A').queries[0]).toBe('web.default.')
  })

  it('Default: the node\'s own file, where cluster names do not resolve', () => {
    const sim = webCluster()
    sim.apply(pod('plain', '  dnsPolicy: Default'))
    sim.settle()
    expect(sim.resolvConf('default/plain')).toBe('nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n')
    expect(sim.resolve('default/plain', 'web', 'A').rcode).toBe('NXDOMAIN')
  })

  it('refuses a dnsConfig the API server would refuse, naming the field', () => {
    const sim = webCluster()
    expect(sim.apply(pod('a', '  dnsPolicy: None')).message).toBe('The Pod "a" is invalid: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None')
    expect(sim.apply(pod('b', '  dnsPolicy: None\n  dnsConfig:\n    searches: ["x.example"]')).message).toBe('The Pod "b" is invalid: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None')
    expect(sim.apply(pod('c', '  dnsConfig:\n    nameservers: ["1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"]')).message).toBe('The Pod "c" is invalid: spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4"}: must not have more than 3 nameservers')
    expect(sim.apply(pod('d', '  dnsConfig:\n    nameservers: ["dns.example"]')).message).toBe('The Pod "d" is invalid: spec.dnsConfig.nameservers[0]: Invalid value: "dns.example": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')
  })
})
