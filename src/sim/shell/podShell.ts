import type { ConnectResult } from '../commands/connect'
import type { ResolveResult } from '../commands/resolve'
import { parseResolvConf } from '../commands/resolve'
import type { QueryType } from '../dns/coreDnsAnswer'
import type { Pod } from '../model/pod'
import { dig, nslookup } from './dnsTools'
import { cat } from './filters'
import { curl, wget } from './httpTools'
import { interfaceMac } from './netInfo'
import { fail, ok, type CommandContext, type RunResult } from './types'

/** The pod a shell runs in, and what its container saw at start. */
export interface PodSession {
  readonly pod: Pod
  readonly key: string
  readonly env: Readonly<Record<string, string>>
  readonly resolvConf: string
}

/** The pod ("ns/name" or "name" in default) and its running container, or kubectl exec's error. */
export function podSession(ctx: CommandContext, pod: string, container?: string): { ok: true; session: PodSession } | { ok: false; error: string } {
  const key = pod.includes('/') ? pod : `default/${pod}`
  const [ns, name] = key.split('/') as [string, string]
  const problem = ctx.host.containerProblem(key)
  if (problem) return { ok: false, error: `${problem}\n` }
  const p = ctx.host.get('Pod', ns, name) as Pod
  if (container !== undefined && !p.spec.containers.some((c) => c.name === container)) return { ok: false, error: `error: container ${container} not found in pod ${name}\n` }
  return { ok: true, session: { pod: p, key, env: ctx.host.env(key)!, resolvConf: ctx.host.resolvConf(key)! } }
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The environment `env` prints: PATH and HOSTNAME first, the container's own and the service links, HOME last. */
export function processEnv(s: PodSession): [string, string][] {
  return [['PATH', PATH], ['HOSTNAME', s.pod.spec.hostname ?? s.pod.metadata.name], ...Object.entries(s.env), ['HOME', '/root']]
}

/** The files a student reads in a pod: written by the kubelet at container start. */
function file(s: PodSession, path: string): string | undefined {
  const ip = s.pod.status.podIP ?? ''
  const hostname = s.pod.spec.hostname ?? s.pod.metadata.name
  if (path === '/etc/resolv.conf') return s.resolvConf
  if (path === '/etc/hostname') return `${hostname}\n`
  if (path === '/etc/hosts') return `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\t${hostname}\n`
  return undefined
}

/** `ip addr` and `ip route` in the pod's network namespace: lo and the veth end flannel's bridge plugin gave it. */
function ip(s: PodSession, args: readonly string[]): RunResult {
  const podIP = s.pod.status.podIP ?? ''
  const [a, b, c] = podIP.split('.')
  const gateway = `${a}.${b}.${c}.1`
  const sub = args[0] ?? ''
  if ('addr'.startsWith(sub) && sub !== '' || sub === 'a') {
    return ok(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0@if${4 + Number(podIP.split('.')[3] ?? 0)}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default 
    link/ether ${interfaceMac(podIP)} brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet ${podIP}/24 brd ${a}.${b}.${c}.255 scope global eth0
       valid_lft forever preferred_lft forever
`)
  }
  if ('route'.startsWith(sub) && sub !== '') return ok(`default via ${gateway} dev eth0 \n10.244.0.0/16 via ${gateway} dev eth0 \n${a}.${b}.${c}.0/24 dev eth0  proto kernel  scope link  src ${podIP} \n`)
  return fail(`Object "${sub}" is unknown, try "ip help".`, 255)
}

/** Runs one command (argv) inside the pod, as its image's tools print it (Debian jessie: dash, dnsutils, curl, wget). */
export function podCommand(ctx: CommandContext, s: PodSession, argv: readonly string[], stdin: string): RunResult {
  const [cmd, ...args] = argv
  const nameserver = parseResolvConf(s.resolvConf).nameserver
  const lookup = (name: string, type: QueryType) => ctx.dispatch({ type: 'resolve', pod: s.key, name, queryType: type }) as ResolveResult
  const request = (target: string) => {
    const result = ctx.dispatch({ type: 'connect', from: s.key, target }) as ConnectResult
    const served = result.pod ? (ctx.host.get('Pod', result.pod.split('/')[0], result.pod.split('/')[1]!) as Pod | undefined) : undefined
    return { result, image: served?.spec.containers[0]?.image, podName: served?.metadata.name }
  }
  switch (cmd) {
    case 'nslookup':
      return nslookup(args, nameserver, lookup)
    case 'dig':
      return dig(args, nameserver, ctx.host.now, lookup)
    case 'curl':
      return curl(args, ctx.host.now, request)
    case 'wget':
      return wget(args, request)
    case 'cat':
      return cat(args, stdin, (path) => file(s, path))
    case 'env':
      return ok(processEnv(s).map(([k, v]) => `${k}=${v}\n`).join(''))
    case 'printenv': {
      const env = new Map(processEnv(s))
      if (args.length === 0) return ok(processEnv(s).map(([k, v]) => `${k}=${v}\n`).join(''))
      const found = args.filter((a) => env.has(a))
      return { exitCode: found.length === args.length ? 0 : 1, stdout: found.map((a) => `${env.get(a)}\n`).join(''), stderr: '' }
    }
    case 'hostname':
      return ok(args[0] === '-i' ? `${s.pod.status.podIP}\n` : `${s.pod.spec.hostname ?? s.pod.metadata.name}\n`)
    case 'ip':
      return ip(s, args)
    case 'echo':
      return ok(`${args.join(' ')}\n`)
    case 'true':
      return ok('')
    case 'exit':
      return { exitCode: Number.isInteger(Number(args[0])) ? Number(args[0]) & 255 : 0, stdout: '', stderr: '' }
    case 'false':
      return fail('', 1)
    default:
      return { exitCode: 127, stdout: '', stderr: `sh: 1: ${cmd}: not found\n` }
  }
}
