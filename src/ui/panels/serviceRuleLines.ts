import { iptablesServiceLines, type Service } from '../../sim'

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * How a node tool's output is read for one Service's lines: iptables' dumps (by comment and chain), `ipvsadm -Ln`
 * (virtual servers and their real servers), `ipset list` (members), `ip addr` (kube-ipvs0's addresses), nftables'
 * ruleset or transaction (chains and map elements named after the Service, its addresses).
 */
export type RuleTextKind = 'iptables' | 'ipvsadm' | 'ipset' | 'ip-addr' | 'nft'

/** What names a Service in a tool's output: "namespace/name", its addresses (ClusterIPs, external and load-balancer IPs), its ports and NodePorts. */
export interface ServiceMatch {
  readonly name: string
  readonly ips?: readonly string[]
  readonly ports?: readonly number[]
  readonly nodePorts?: readonly number[]
}

/** What a Service's lines are found by, read from the Service. */
export function serviceMatch(svc: Service): ServiceMatch {
  const ips = new Set<string>([...(svc.spec.clusterIPs ?? []), ...(svc.spec.clusterIP && svc.spec.clusterIP !== 'None' ? [svc.spec.clusterIP] : []), ...(svc.spec.externalIPs ?? [])])
  for (const i of svc.status?.loadBalancer?.ingress ?? []) if (i.ip) ips.add(i.ip)
  const ports = svc.spec.ports ?? []
  return {
    name: `${svc.metadata.namespace}/${svc.metadata.name}`,
    ips: [...ips],
    ports: ports.map((p) => p.port),
    nodePorts: ports.flatMap((p) => (p.nodePort ? [p.nodePort] : [])),
  }
}

/**
 * The lines of a tool's output that belong to one Service ("namespace/name", or what names it). iptables: the lines
 * whose comment names it (any of its ports), plus every per-service chain they lead to, declared or appended, so that
 * a Service with over 1000 endpoints (whose endpoint rules carry no comment) is still followed from KUBE-SERVICES to
 * each KUBE-SEP. The other tools by their own shape (see RuleTextKind).
 */
export function serviceRuleLines(lines: readonly string[], service: string | ServiceMatch, kind: RuleTextKind = 'iptables'): Set<number> {
  const match = typeof service === 'string' ? { name: service } : service
  switch (kind) {
    case 'iptables':
      return iptablesLines(lines, match.name)
    case 'ipvsadm':
      return ipvsadmLines(lines, match)
    case 'ipset':
      return ipsetLines(lines, match)
    case 'ip-addr':
      return ipAddrLines(lines, match)
    case 'nft':
      return nftLines(lines, match)
  }
}

const iptablesLines = iptablesServiceLines

/** One of the Service's addresses, as a whole address (10.96.0.1 is not 10.96.0.10). */
function addressPattern(m: ServiceMatch): RegExp | undefined {
  const ips = m.ips ?? []
  return ips.length ? new RegExp(`(^|[^\\d.])(${ips.map(escape).join('|')})(?![\\d])(?!\\.\\d)`) : undefined
}

/**
 * `ipvsadm -Ln` (and `--stats`): a virtual server line ("TCP  10.96.0.10:53 rr") for one of the Service's addresses
 * and ports, or on one of its NodePorts on any address, with the real servers ("  -> ...") listed under it.
 */
function ipvsadmLines(lines: readonly string[], m: ServiceMatch): Set<number> {
  const ips = new Set(m.ips ?? [])
  const ports = new Set(m.ports ?? [])
  const nodePorts = new Set(m.nodePorts ?? [])
  const out = new Set<number>()
  let inside = false
  lines.forEach((line, i) => {
    const vs = /^(TCP|UDP|SCTP)\s+(\d+\.\d+\.\d+\.\d+):(\d+)\b/.exec(line)
    if (vs) {
      const port = Number(vs[3])
      inside = (ips.has(vs[2]!) && (ports.size === 0 || ports.has(port))) || nodePorts.has(port)
    } else if (!/^\s+->/.test(line) || /RemoteAddress:Port/.test(line)) {
      inside = false
    }
    if (inside) out.add(i)
  })
  return out
}

/** `ipset list`: the members for the Service's addresses ("10.96.0.10,tcp:53", "10.96.0.10") and its NodePorts (endpoints' hairpin entries aside). */
function ipsetLines(lines: readonly string[], m: ServiceMatch): Set<number> {
  const address = addressPattern(m)
  const ports = new Set(m.ports ?? [])
  const nodePorts = new Set((m.nodePorts ?? []).map(String))
  const out = new Set<number>()
  let members = false
  lines.forEach((line, i) => {
    if (/^Name: /.test(line)) members = false
    else if (/^Members:/.test(line)) members = true
    else if (members && line.trim() !== '') {
      const first = line.trim().split(/\s/, 1)[0]!
      // "ip,proto:port" (ClusterIPs, external and load-balancer IPs), an address alone (KUBE-IPVS-IPS), or a NodePort
      // alone ("30080", "tcp:30080").
      const ipPort = /^(\d+\.\d+\.\d+\.\d+)(?:,[a-z]+:(\d+))?$/.exec(first)
      const theirs = ipPort ? address?.test(ipPort[1]!) && (ipPort[2] === undefined || ports.size === 0 || ports.has(Number(ipPort[2]))) : nodePorts.has(first.replace(/^[a-z]+:/, ''))
      if (theirs) out.add(i)
    }
  })
  return out
}

/** `ip addr show kube-ipvs0`: the Service's addresses bound there ("inet 10.96.0.10/32 ..."), with the lifetime line under each. */
function ipAddrLines(lines: readonly string[], m: ServiceMatch): Set<number> {
  const address = addressPattern(m)
  const out = new Set<number>()
  lines.forEach((line, i) => {
    if (!address) return
    const inet = /^\s+inet6? (\S+)\//.exec(line)
    if (inet && address.test(inet[1]!)) {
      out.add(i)
      if (/^\s+valid_lft/.test(lines[i + 1] ?? '')) out.add(i + 1)
    }
  })
  return out
}

/**
 * nftables (`nft list ruleset`, or kube-proxy's transaction): every chain named after the Service (service-HASH-ns/name/
 * proto/port, endpoint-…, external-…, firewall-…) whole, from `chain … {` to its `}`, and every other line that names
 * the Service or one of its addresses (its map elements: "10.96.0.10 . tcp . 80 : goto service-…").
 */
function nftLines(lines: readonly string[], m: ServiceMatch): Set<number> {
  const named = new RegExp(`(^|[\\s"{,(]|-[A-Z0-9]+-)${escape(m.name)}([/:"\\s,}]|$)`)
  const address = addressPattern(m)
  const out = new Set<number>()
  let open = -1
  lines.forEach((line, i) => {
    const chain = /^\s*chain (\S+) \{/.exec(line)
    if (chain) open = named.test(chain[1]!) ? i : -1
    if (open >= 0) {
      out.add(i)
      if (/^\s*\}\s*$/.test(line)) open = -1
      return
    }
    if (named.test(line) || address?.test(line)) out.add(i)
  })
  return out
}
