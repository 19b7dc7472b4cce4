import { BUILTIN_KINDS, isSimulatedKind, KIND_TABLES, kubectlFlags, resolveResource, type ClusterState } from '../../sim'

/** Where a line is typed: the student's machine, a shell in a pod (of that namespace), or a shell on a node. */
export type ShellPlace = { readonly kind: 'laptop' } | { readonly kind: 'pod'; readonly namespace: string } | { readonly kind: 'node' }

/** What completion reads: where the line is typed, the cluster as it is, the laptop's files. */
export interface CompletionContext {
  readonly place: ShellPlace
  readonly state: ClusterState
  /** The files in the laptop's working directory (`kubectl apply -f <Tab>`). */
  readonly files: readonly string[]
}

/** What Tab does: text to insert at the cursor, or (when several words match and none is longer) the words to list. */
export interface Completion {
  readonly insert: string
  readonly candidates: readonly string[]
}

const NOTHING: Completion = { insert: '', candidates: [] }

/** A kubectl command as completion knows it: its subcommands and what its arguments name (its flags are the engine's). */
interface CommandSpec {
  readonly sub?: Readonly<Record<string, CommandSpec>>
  /** `resource`: a kind, then names of that kind (or kind/name); `pod`: names of pods; `node`: names of nodes. */
  readonly args?: 'resource' | 'pod' | 'node'
  /** The kinds it takes, when not every kind. */
  readonly kinds?: readonly string[]
}

/** The kinds offered after `kubectl get` and the like, as kubectl names them (plural). */
const KINDS = ['pods', 'services', 'deployments', 'replicasets', 'endpoints', 'endpointslices', 'nodes', 'namespaces', 'events']
const OUTPUTS = ['wide', 'yaml', 'json', 'name', 'jsonpath=']
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']

/** The commands the simulator's kubectl runs (src/sim/kubectl/kubectl.ts), with what their arguments are. */
const KUBECTL: Readonly<Record<string, CommandSpec>> = {
  get: { args: 'resource' },
  describe: { args: 'resource' },
  apply: {},
  delete: { args: 'resource' },
  scale: { args: 'resource', kinds: ['deployments'] },
  expose: { args: 'resource', kinds: ['deployments', 'services', 'pods', 'replicasets'] },
  label: { args: 'resource' },
  annotate: { args: 'resource' },
  logs: { args: 'pod' },
  exec: { args: 'pod' },
  'api-resources': {},
  'cluster-info': {},
  cordon: { args: 'node' },
  uncordon: { args: 'node' },
  drain: { args: 'node' },
  version: {},
  create: {
    sub: {
      deployment: {},
      service: { sub: { clusterip: {}, nodeport: {}, loadbalancer: {} } },
      namespace: {},
    },
  },
  set: { sub: { image: { args: 'resource', kinds: ['deployments'] } } },
  rollout: {
    sub: {
      status: { args: 'resource', kinds: ['deployments'] },
      history: { args: 'resource', kinds: ['deployments'] },
      undo: { args: 'resource', kinds: ['deployments'] },
      restart: { args: 'resource', kinds: ['deployments'] },
    },
  },
}
const GLOBAL_FLAGS = ['-n', '--namespace=', '-h', '--help']
/** Flags whose value is the next word (`-n kube-system`), not part of this one. */
const VALUE_FLAGS = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '-f', '--filename', '-c', '--container'])

/** The text filters a pipeline can end in (src/sim/shell/filters.ts). */
const FILTERS = ['grep', 'head', 'tail', 'wc', 'sort']
const FIRST_WORDS: Readonly<Record<ShellPlace['kind'], readonly string[]>> = {
  laptop: ['kubectl', 'ls', 'cat', 'echo', 'clear'],
  pod: ['nslookup', 'dig', 'curl', 'wget', 'cat', 'env', 'printenv', 'hostname', 'ip', 'echo', 'clear', 'exit'],
  node: ['iptables-save', 'iptables', 'conntrack', 'crictl', 'ip', 'systemctl', 'pidof', 'kill', 'pkill', 'hostname', 'cat', 'echo', 'clear', 'exit'],
}
const POD_FILES = ['/etc/resolv.conf', '/etc/hosts', '/etc/hostname']
const IPTABLES_TABLES = ['nat', 'filter', 'mangle', 'raw']
/** What the node's and the pod's tools take after their name (beyond host names, handled apart). */
const TOOL_ARGS: Readonly<Record<string, readonly string[]>> = {
  'iptables-save': ['-t'],
  iptables: ['-t', '-L', '-S', '-n', '-v', '--line-numbers'],
  conntrack: ['-L'],
  crictl: ['ps', '-a'],
  ip: ['addr', 'route'],
  hostname: ['-i'],
  systemctl: ['start', 'stop', 'restart', 'status', 'is-active', 'kubelet'],
  pidof: ['kube-proxy', 'kubelet'],
  kill: ['-STOP', '-CONT', '-s'],
  pkill: ['-STOP', '-CONT', 'kube-proxy'],
}

/** The longest text every word starts with. */
function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? ''
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}

/**
 * Completes `word` among `options`, as bash does: one match is inserted whole (with a space after it, unless it ends
 * in `=` or `/`, where a value follows); several insert what they share, or are listed when they share no more.
 * `shown` turns a match into what is listed (the name alone, not `deploy/name`).
 */
function among(word: string, options: Iterable<string>, shown: (w: string) => string = (w) => w): Completion {
  const matches = [...new Set(options)].filter((o) => o.startsWith(word)).sort()
  if (matches.length === 0) return NOTHING
  if (matches.length === 1) {
    const only = matches[0]!
    return { insert: only.slice(word.length) + (/[=/]$/.test(only) ? '' : ' '), candidates: [] }
  }
  const shared = commonPrefix(matches).slice(word.length)
  return shared ? { insert: shared, candidates: [] } : { insert: '', candidates: matches.map(shown) }
}

/** The names of objects of a kind (as typed: "svc", "pods", "deployment") in a namespace, or undefined for no such kind. */
function namesOf(state: ClusterState, typed: string, namespace: string): string[] | undefined {
  const kind = resolveResource(typed)
  if (!kind || !isSimulatedKind(kind)) return undefined
  const names: string[] = []
  for (const key of state[KIND_TABLES[kind]].keys()) {
    const slash = key.indexOf('/')
    if (slash < 0) names.push(key)
    else if (key.slice(0, slash) === namespace) names.push(key.slice(slash + 1))
  }
  return names
}

/** Kinds by their plural; when none starts so, by their short or singular names ("svc", "deploy", "ns"). */
function completeKind(word: string, plurals: readonly string[]): Completion {
  if (plurals.some((p) => p.startsWith(word))) return among(word, plurals)
  const info = BUILTIN_KINDS.filter((k) => plurals.includes(k.plural) && k.group !== 'events.k8s.io')
  return among(word, info.flatMap((k) => [...k.shortNames, k.kind.toLowerCase()]))
}

/** A value for a flag: namespaces for -n, formats for -o, files for -f, Service types for --type. */
function flagValues(flag: string, ctx: CompletionContext): readonly string[] | undefined {
  switch (flag) {
    case '-n':
    case '--namespace':
      return [...ctx.state.namespaces.keys()]
    case '-o':
    case '--output':
      return OUTPUTS
    case '-f':
    case '--filename':
      return ctx.files
    case '--type':
      return SERVICE_TYPES
    default:
      return undefined
  }
}

/** The namespace the words name (`-n X`, `--namespace X`, `--namespace=X`), else `fallback`. */
function namespaceOf(words: readonly string[], fallback: string): string {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if ((w === '-n' || w === '--namespace') && words[i + 1] !== undefined) return words[i + 1]!
    if (w.startsWith('--namespace=')) return w.slice('--namespace='.length)
    if (/^-n\S+$/.test(w)) return w.slice(2)
  }
  return fallback
}

/** Host names a pod can look up: its namespace's Services by their short name, the others' as name.namespace. */
function hostNames(state: ClusterState, namespace: string): string[] {
  return [...state.services.keys()].map((key) => {
    const [ns, name] = key.split('/') as [string, string]
    return ns === namespace ? name : `${name}.${ns}`
  })
}

/** The words after a pod's or a node's tool (`nslookup we` -> web, `cat /etc/re` -> /etc/resolv.conf). */
function completeTool(place: ShellPlace, tool: string, prior: readonly string[], word: string, ctx: CompletionContext): Completion {
  if (prior.at(-1) === '-t' && (tool === 'iptables' || tool === 'iptables-save')) return among(word, IPTABLES_TABLES)
  if (tool === 'cat') return among(word, place.kind === 'laptop' ? ctx.files : place.kind === 'pod' ? POD_FILES : [])
  if (place.kind === 'pod' && ['nslookup', 'dig', 'curl', 'wget'].includes(tool)) return among(word, hostNames(ctx.state, place.namespace))
  return among(word, TOOL_ARGS[tool] ?? [])
}

/** Completion after `kubectl`: commands, subcommands, kinds, names, flags and their values. */
function completeKubectl(words: readonly string[], word: string, ctx: CompletionContext): Completion {
  const dashes = words.indexOf('--')
  if (dashes >= 0) {
    // `kubectl exec POD -- <Tab>`: what follows runs in the pod.
    const namespace = namespaceOf(words.slice(0, dashes), 'default')
    return completeLine({ kind: 'pod', namespace }, words.slice(dashes + 1), word, ctx)
  }
  const previous = words.at(-1)
  if (previous !== undefined && VALUE_FLAGS.has(previous)) return among(word, flagValues(previous, ctx) ?? [])
  const valued = /^(--[\w-]+)=(.*)$/.exec(word)
  if (valued) return among(valued[2]!, flagValues(valued[1]!, ctx) ?? [])
  const positional: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (!w.startsWith('-')) positional.push(w)
    else if (VALUE_FLAGS.has(w)) i++
  }
  let spec: CommandSpec = { sub: KUBECTL }
  let depth = 0
  while (spec.sub && positional[depth] !== undefined && spec.sub[positional[depth]!]) spec = spec.sub[positional[depth++]!]!
  const args = positional.slice(depth)
  if (word.startsWith('-')) return among(word, depth ? kubectlFlags(positional.slice(0, depth).join(' ')) : GLOBAL_FLAGS)
  if (spec.sub) return args.length === 0 ? among(word, Object.keys(spec.sub)) : NOTHING
  if (!spec.args) return NOTHING
  const namespace = namespaceOf(words, 'default')
  const slash = word.indexOf('/')
  if (args.length === 0 && slash >= 0) {
    // kind/name (`deployment/web`, `pod/client`): the names of that kind, listed without the kind.
    const kind = word.slice(0, slash + 1)
    const names = namesOf(ctx.state, word.slice(0, slash), namespace) ?? []
    return among(word, names.map((n) => kind + n), (w) => w.slice(kind.length))
  }
  if (spec.args === 'pod') return args.length === 0 ? among(word, namesOf(ctx.state, 'pods', namespace) ?? []) : NOTHING
  if (spec.args === 'node') return among(word, [...ctx.state.nodes.keys()].filter((n) => !args.includes(n)))
  if (args.length === 0) return completeKind(word, spec.kinds ?? KINDS)
  if (args[0]!.includes('/')) return NOTHING
  return among(word, (namesOf(ctx.state, args[0]!, namespace) ?? []).filter((n) => !args.includes(n)))
}

/** One simple command: its first word, then what that command takes. */
function completeLine(place: ShellPlace, words: readonly string[], word: string, ctx: CompletionContext, afterPipe = false): Completion {
  if (words.length === 0) return among(word, afterPipe ? FILTERS : FIRST_WORDS[place.kind])
  const [command, ...rest] = words as [string, ...string[]]
  if (command === 'kubectl' && place.kind === 'laptop') return completeKubectl(rest, word, ctx)
  return completeTool(place, command, rest, word, ctx)
}

/**
 * What Tab completes at the end of `before` (the line up to the cursor), typed in `ctx.place`: the first word (the
 * place's tools), kubectl's commands, kinds, names of objects in the cluster (in the namespace `-n` names, else
 * default), flags and their values. Only the last command of a pipeline or list is looked at.
 */
export function complete(before: string, ctx: CompletionContext): Completion {
  const segments = before.split(/(\||&&|;)/)
  const line = segments.at(-1)!
  const afterPipe = segments.at(-2) === '|'
  const words = line.trimStart().split(/\s+/)
  const word = words.pop() ?? ''
  return completeLine(ctx.place, words, word, ctx, afterPipe)
}
