import type { Map as IMap } from 'immutable'
import type { NodeTables } from './iptablesTables'

/** One real server (destination) of an IPVS virtual server, as `ipvsadm -Ln` lists it. */
export interface IpvsRealServer {
  readonly ip: string
  readonly port: number
  readonly weight: number
}

/** One IPVS virtual server kube-proxy programs: a Service address (ClusterIP, node address for a NodePort, ...) and port. */
export interface IpvsVirtualServer {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP'
  readonly ip: string
  readonly port: number
  readonly scheduler: string
  /** sessionAffinity ClientIP: persistence timeout in seconds (ipvsadm's `persistent 10800`). */
  readonly persistent?: number
  /** In the order the kernel holds them (the order kube-proxy added them). */
  readonly realServers: readonly IpvsRealServer[]
  /** "ns/name:port" of the Service port it stands for. */
  readonly servicePort: string
}

/** One ipset kube-proxy keeps (pkg/proxy/ipvs/ipset.go), entries in `ipset list` member form ("10.96.0.10,tcp:53"). */
export interface IpSet {
  readonly name: string
  /** hash:ip,port and so on. */
  readonly type: string
  readonly comment: string
  /** In the order kube-proxy added them (sorted, as its sets.List() gives them); `ipset list` prints the kernel's hash order. */
  readonly entries: readonly string[]
  /** The jhash seed the kernel drew when the set was created (random there; fixed by the node and set name here). */
  readonly initval?: number
}

/** Everything kube-proxy in IPVS mode writes on one node. */
export interface IpvsNode {
  /** The iptables rules IPVS mode still writes (masquerading, ipset matches, NodePort and firewall plumbing). */
  readonly iptables: NodeTables
  readonly ipsets: readonly IpSet[]
  readonly virtualServers: readonly IpvsVirtualServer[]
  /** The addresses bound to the kube-ipvs0 dummy interface: every ClusterIP, external IP and load-balancer IP. */
  readonly dummyAddresses: readonly string[]
}

/** Per virtual server, what the kernel's IPVS keeps on one node: the round-robin position and the counters. */
export interface IpvsServiceState {
  /** Index into realServers of the last server rr picked (-1 before the first pick). */
  readonly last: number
  /** "ip:port" of that server: rr goes on after it wherever it now stands in the list (the kernel keeps a pointer to it). */
  readonly lastReal?: string
  /** Persistence templates (a `persistent` service): client IP -> the real server ("ip:port") it sticks to, until when (virtual ms). */
  readonly persistence?: IMap<string, { readonly real: string; readonly expiresAt: number }>
  readonly conns: number
  readonly inPkts: number
  readonly outPkts: number
  readonly inBytes: number
  readonly outBytes: number
  /** "ip:port" of a real server -> its own counters. */
  readonly perReal: IMap<string, { readonly conns: number; readonly inPkts: number; readonly outPkts: number; readonly inBytes: number; readonly outBytes: number }>
}

/** The key of a virtual server: "TCP 10.96.0.10:53", as ipvsadm prints its line. */
export const virtualServerKey = (vs: { protocol: string; ip: string; port: number }) => `${vs.protocol} ${vs.ip}:${vs.port}`
