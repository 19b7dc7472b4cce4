import { ENDPOINT_SLICE, ENDPOINTS } from './model/discoverySchema'
import { NAMESPACE, NODE } from './model/nodeSchema'
import { POD } from './model/podSchema'
import type { GoStruct, GoType } from './model/schema'
import { SERVICE } from './model/serviceSchema'
import { DEPLOYMENT, REPLICA_SET } from './model/workloadSchema'

/**
 * The bad-input corpus: inputs made to break the engine, with what upstream answers where it is known. Generated from
 * the kinds' schemas (every field given a wrong type, an out-of-range number, null, markup, a huge value), plus the
 * cases found by review, YAML attacks and wrong arguments to every API call. Data only; badInput.test.ts runs it.
 */
export const MARKUP = '<img src=x onerror=alert(1)>'

const podSpec = {
  terminationGracePeriodSeconds: 0,
  containers: [{
    name: 'c', image: 'nginx:1.27', command: ['sleep'], args: ['1d'], workingDir: '/w',
    ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
    env: [{ name: 'A', value: 'b' }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    readinessProbe: { httpGet: { path: '/', port: 'http', httpHeaders: [{ name: 'X-A', value: 'b' }] }, periodSeconds: 5 },
    livenessProbe: { tcpSocket: { port: 8080 } },
    lifecycle: { preStop: { sleep: { seconds: 0 } } },
  }],
  tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
  dnsConfig: { nameservers: ['1.1.1.1'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }] },
  imagePullSecrets: [{ name: 'pull' }],
  hostAliases: [{ ip: '192.0.2.1', hostnames: ['h.example'] }],
  readinessGates: [{ conditionType: 'example.com/ready' }],
  os: { name: 'linux' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
}

const template = { metadata: { labels: { app: 'bad' } }, spec: podSpec }

/** A valid object of every simulated kind, rich enough that most fields exist to be broken. */
export const BASES: Record<string, Record<string, unknown>> = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bad-ns', labels: { team: 'a' } }, spec: { finalizers: ['kubernetes'] } },
  Node: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bad-node', labels: { zone: 'a' } }, spec: { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] } },
  Pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', labels: { app: 'bad' }, annotations: { note: 'x' } }, spec: podSpec },
  Deployment: {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'bad' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['bad'] }] }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } }, minReadySeconds: 0, revisionHistoryLimit: 2, progressDeadlineSeconds: 60 },
  },
  ReplicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'bad' }, spec: { replicas: 1, selector: { matchLabels: { app: 'bad' } }, template, minReadySeconds: 0 } },
  Service: {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad' },
    spec: { type: 'ClusterIP', selector: { app: 'bad' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' },
  },
  EndpointSlice: {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'bad', labels: { 'kubernetes.io/service-name': 'bad' } }, addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.5'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'h', nodeName: 'worker-1', zone: 'z', targetRef: { kind: 'Pod', namespace: 'default', name: 'p' }, hints: { forZones: [{ name: 'z' }] } }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }],
  },
  Endpoints: {
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'bad' },
    subsets: [{ addresses: [{ ip: '10.0.0.5', hostname: 'h', nodeName: 'worker-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p' } }], notReadyAddresses: [{ ip: '10.0.0.6' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
  },
}

export const SCHEMAS: Record<string, GoStruct> = { Namespace: NAMESPACE, Node: NODE, Pod: POD, Deployment: DEPLOYMENT, ReplicaSet: REPLICA_SET, Service: SERVICE, EndpointSlice: ENDPOINT_SLICE, Endpoints: ENDPOINTS }

/** One generated input: a base object with the value at `path` replaced. */
export interface FieldInput {
  readonly kind: string
  readonly path: string
  readonly variant: 'wrong type' | 'out of range' | 'null' | 'markup' | 'huge' | 'map entry'
  readonly object: Record<string, unknown>
  /** Decoding must refuse it (a wrong type, a number its Go type cannot hold); otherwise upstream may accept it. */
  readonly refused: boolean
}

/** Every field path of a schema (lists at their first item, maps as a whole), with its Go type. */
export function fieldPaths(t: GoStruct, prefix = ''): [string, GoType][] {
  const out: [string, GoType][] = []
  for (const [name, type] of Object.entries(t.fields)) {
    if (!prefix && (name === 'apiVersion' || name === 'kind')) continue
    const path = prefix ? `${prefix}.${name}` : name
    out.push([path, type])
    let inner: GoType = type
    let at = path
    while (inner.t === 'list') {
      at = `${at}[0]`
      inner = inner.of
      if (inner.t !== 'struct') out.push([at, inner])
    }
    if (inner.t === 'struct') out.push(...fieldPaths(inner, at))
  }
  return out
}

const segments = (path: string) => [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!))

/** A copy of `obj` with `value` at `path`, creating what is missing on the way. */
export function withValue(obj: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj)
  const parts = segments(path)
  let at: Record<string | number, unknown> = copy
  parts.forEach((part, i) => {
    if (i === parts.length - 1) {
      at[part] = value
      return
    }
    const next = at[part]
    if (next === null || typeof next !== 'object') at[part] = typeof parts[i + 1] === 'number' ? [] : {}
    at = at[part] as Record<string | number, unknown>
  })
  return copy
}

/** A value of another JSON type than `t` takes, which Go's decoder must refuse. */
function wrongType(t: GoType): unknown {
  switch (t.t) {
    case 'string': case 'time': return 12345
    case 'bool': return 'true'
    case 'int32': case 'int64': case 'float64': return '1'
    case 'intOrString': case 'quantity': return true
    default: return 'x'
  }
}

/** The generated part of the corpus: every field of every simulated kind, broken every way that applies. */
export function fieldInputs(): FieldInput[] {
  const out: FieldInput[] = []
  for (const [kind, schema] of Object.entries(SCHEMAS)) {
    const base = BASES[kind]!
    for (const [path, type] of fieldPaths(schema)) {
      const add = (variant: FieldInput['variant'], value: unknown, refused: boolean, at = path) => out.push({ kind, path: at, variant, object: withValue(base, path, value), refused })
      add('wrong type', wrongType(type), true)
      add('null', null, false)
      if (type.t === 'int32') add('out of range', 2 ** 31, true)
      if (type.t === 'int32') add('huge', 2 ** 31 - 1, false)
      if (type.t === 'int64') add('huge', Number.MAX_SAFE_INTEGER, false)
      if (type.t === 'int32' || type.t === 'int64') add('out of range', 1.5, true)
      if (type.t === 'string') {
        add('markup', MARKUP, false)
        add('huge', 'x'.repeat(20_000), false)
      }
      if (type.t === 'map' && type.of.t === 'string') add('map entry', { key: 7 }, true, `${path}[key]`)
    }
  }
  return out
}

/** Cases found by review and upstream's exact answers to them. */
export interface KnownCase {
  readonly name: string
  readonly input: unknown
  /** The whole kubectl message, or a pattern it must match. */
  readonly message: string | RegExp
}

const svc = (spec: unknown, name = 'x') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec })
const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec })
const deploy = (podSpecExtra: object, specExtra: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...podSpecExtra } }, ...specExtra },
})
const slice = (extra: object, name = 's') => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name }, addressType: 'IPv4', ...extra })
const endpoints = (subsets: unknown) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets })
const decoding = (kind: string, detail: string) => `Error from server (BadRequest): error when creating "STDIN": ${kind} in version "v1" cannot be handled as a ${kind}: ${detail}`

export const KNOWN_CASES: readonly KnownCase[] = [
  { name: 'ports: "80"', input: svc({ ports: '80' }), message: decoding('Service', 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort') },
  { name: 'an empty list item', input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  -\n', message: 'The Service "x" is invalid:\n* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive' },
  { name: 'clusterIP: 10', input: svc({ clusterIP: 10, ports: [{ port: 80 }] }), message: decoding('Service', 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.clusterIP of type string') },
  { name: 'externalIPs: "1.2.3.4"', input: svc({ externalIPs: '1.2.3.4', ports: [{ port: 80 }] }), message: decoding('Service', 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.externalIPs of type []string') },
  { name: 'matchExpressions: [null]', input: deploy({}, { selector: { matchLabels: { a: 'b' }, matchExpressions: [null] } }), message: 'The Deployment "d" is invalid:\n* spec.selector.matchExpressions[0].operator: Invalid value: "": not a valid selector operator\n* spec.selector.matchExpressions[0].key: Invalid value: "": name part must be non-empty' },
  { name: 'container ports: [null]', input: pod({ containers: [{ name: 'c', image: 'nginx', ports: [null] }] }), message: 'The Pod "p" is invalid: spec.containers[0].ports[0].containerPort: Required value' },
  { name: 'initContainers: "x"', input: pod({ initContainers: 'x', containers: [{ name: 'c', image: 'nginx' }] }), message: decoding('Pod', 'json: cannot unmarshal string into Go struct field PodSpec.spec.initContainers of type []v1.Container') },
  { name: 'tolerations: [null]', input: deploy({ tolerations: [null] }), message: 'The Deployment "d" is invalid: spec.template.spec.tolerations[0].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"' },
  { name: 'Endpoints subsets: "x"', input: endpoints('x'), message: 'Error from server (BadRequest): error when creating "STDIN": Endpoints in version "v1" cannot be handled as a Endpoints: json: cannot unmarshal string into Go struct field Endpoints.subsets of type []v1.EndpointSubset' },
  { name: 'Endpoints subsets: [null]', input: endpoints([null]), message: 'The Endpoints "e" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`' },
  { name: 'Endpoints addresses: "10.0.0.1"', input: endpoints([{ addresses: '10.0.0.1' }]), message: 'Error from server (BadRequest): error when creating "STDIN": Endpoints in version "v1" cannot be handled as a Endpoints: json: cannot unmarshal string into Go struct field EndpointSubset.subsets.addresses of type []v1.EndpointAddress' },
  { name: 'env value: 8080', input: pod({ containers: [{ name: 'c', image: 'nginx', env: [{ name: 'PORT', value: 8080 }] }] }), message: decoding('Pod', 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string') },
  { name: 'minReadySeconds: "soon"', input: deploy({}, { minReadySeconds: 'soon' }), message: decoding('Deployment', 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.minReadySeconds of type int32') },
  { name: 'name: 123', input: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 123 } }, message: decoding('ConfigMap', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string') },
  { name: 'a numeric port name', input: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - name: 8080\n    port: 80\n', message: decoding('Service', 'json: cannot unmarshal number into Go struct field ServicePort.spec.ports.name of type string') },
  { name: 'a port name of digits', input: pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ name: '8080', containerPort: 8080 }] }] }), message: 'The Pod "p" is invalid: spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)' },
  { name: 'a missing image', input: pod({ containers: [{ name: 'c' }] }), message: 'The Pod "p" is invalid: spec.containers[0].image: Required value' },
  { name: 'an invalid addressType', input: slice({ addressType: 'IPv5', endpoints: [] }), message: 'The EndpointSlice "s" is invalid: addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"' },
  { name: 'a slice named with markup', input: slice({ endpoints: [] }, MARKUP), message: `The EndpointSlice "${MARKUP}" is invalid: metadata.name: Invalid value: "${MARKUP}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` },
  { name: 'an address that is no IP', input: slice({ endpoints: [{ addresses: ['not-an-ip'] }] }), message: 'The EndpointSlice "s" is invalid: endpoints[0].addresses[0]: Invalid value: "not-an-ip": must be a valid IPv4 address' },
  { name: 'a loopback endpoint', input: endpoints([{ addresses: [{ ip: '127.0.0.1' }] }]), message: 'The Endpoints "e" is invalid: subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)' },
  { name: 'a slice port 70000', input: slice({ endpoints: [], ports: [{ port: 70000 }] }), message: 'The EndpointSlice "s" is invalid: ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' },
  { name: 'an unknown field in a slice', input: slice({ endpoints: [], extra: 1 }), message: 'Error from server (BadRequest): error when creating "STDIN": EndpointSlice in version "v1" cannot be handled as a EndpointSlice: strict decoding error: unknown field "extra"' },
  { name: '1,001 endpoints', input: slice({ endpoints: Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.1.${i >> 8}.${(i & 255) + 1}`] })) }), message: 'The EndpointSlice "s" is invalid: endpoints: Too many: 1001: must have at most 1000 items' },
  { name: 'clusterIP: 10.96.0.010', input: svc({ clusterIP: '10.96.0.010', ports: [{ port: 53 }] }), message: 'The Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated' },
  { name: 'kind: service', input: { apiVersion: 'v1', kind: 'service', metadata: { name: 'x' } }, message: 'resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "service" in version "v1"\nensure CRDs are installed first' },
  { name: 'a ClusterIP Service made headless', input: svc({ clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, 'web'), message: 'The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set' },
  { name: 'an unknown Service type', input: svc({ type: 'Nodeport', ports: [{ port: 80 }] }), message: 'The Service "x" is invalid: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' },
  { name: 'an unknown traffic policy', input: svc({ type: 'NodePort', externalTrafficPolicy: 'local', ports: [{ port: 80 }] }), message: 'The Service "x" is invalid: spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local"' },
  { name: 'a targetPort of digits as a string', input: svc({ ports: [{ port: 80, targetPort: '8080' }] }), message: 'The Service "x" is invalid: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)' },
  { name: 'an unknown strategy', input: deploy({}, { strategy: { type: 'BlueGreen' } }), message: 'The Deployment "d" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"' },
  { name: 'maxUnavailable 110%', input: deploy({}, { strategy: { rollingUpdate: { maxUnavailable: '110%' } } }), message: 'The Deployment "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%' },
  { name: 'a negative minReadySeconds', input: deploy({}, { minReadySeconds: -1 }), message: 'The Deployment "d" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0' },
  { name: 'a taint without effect', input: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k' }] } }, message: 'The Node "n" is invalid: metadata.taints[0].effect: Required value' },
  { name: 'a taint of an unknown effect', input: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'k', effect: 'NoWay' }] } }, message: 'The Node "n" is invalid: metadata.taints[0].effect: Unsupported value: "NoWay": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"' },
  { name: 'a cycle', input: (() => { const o: Record<string, unknown> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }; o['data'] = o; return o })(), message: 'error: json: unsupported value: encountered a cycle via map[string]interface {}' },
  { name: '10,000 levels of nesting', input: (() => { let v: unknown = 1; for (let i = 0; i < 10_000; i++) v = { a: v }; return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: v } })(), message: 'error: json: exceeded max depth of 100' },
  { name: 'a body over 3 MiB', input: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x'.repeat(3 * 1024 * 1024) } }, message: 'Error from server (RequestEntityTooLarge): error when creating "STDIN": Request entity too large: limit is 3145728' },
  { name: 'an object over etcd\'s limit', input: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x'.repeat(2 * 1024 * 1024) } }, message: 'Error from server: error when creating "STDIN": etcdserver: request is too large' },
  { name: 'NaN', input: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: NaN } }, message: 'error: json: unsupported value: NaN' },
  { name: 'a scalar document', input: 'just text\n', message: 'error: unable to decode "STDIN": json: cannot unmarshal string into Go value of type map[string]interface {}' },
  { name: 'a grace period past the clock', input: pod({ terminationGracePeriodSeconds: 9e15, containers: [{ name: 'c', image: 'nginx' }] }), message: 'The Pod "p" is invalid: spec.terminationGracePeriodSeconds: Invalid value: 9000000000000000: must be less than or equal to 3155760000 (the simulator\'s clock runs for 100 years)' },
]

/** Valid upstream, and easy to get wrong downstream: accepted, and the engine must keep working around them. */
export const ACCEPTED_CASES: readonly { name: string; input: unknown[] }[] = [
  { name: 'Endpoints with an IPv6 address for a Service without selector', input: [svc({ ports: [{ port: 80 }] }, 'v6'), { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'v6' }, subsets: [{ addresses: [{ ip: '2001:db8::1' }], ports: [{ port: 80 }] }] }] },
  { name: 'an IPv6 slice for a selected Service', input: [{ ...slice({ addressType: 'IPv6', endpoints: [{ addresses: ['2001:db8::2'] }], ports: [{ name: 'http', port: 80 }] }, 'web-v6'), metadata: { name: 'web-v6', labels: { 'kubernetes.io/service-name': 'web' } } }] },
  { name: 'an FQDN slice for a selected Service', input: [{ ...slice({ addressType: 'FQDN', endpoints: [{ addresses: ['example.com'] }], ports: [{ name: 'http', port: 80 }] }, 'web-fqdn'), metadata: { name: 'web-fqdn', labels: { 'kubernetes.io/service-name': 'web' } } }] },
  { name: 'a readiness probe due in 68 years', input: [pod({ containers: [{ name: 'c', image: 'nginx', readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2147483647, periodSeconds: 2147483647 } }] })] },
  { name: 'a progress deadline of 68 years', input: [deploy({}, { progressDeadlineSeconds: 2147483647, minReadySeconds: 2147483646 })] },
  { name: 'a toleration of 285 million years', input: [pod({ tolerations: [{ key: 'x', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: Number.MAX_SAFE_INTEGER }], containers: [{ name: 'c', image: 'nginx' }] })] },
  { name: 'requests beyond any node', input: [pod({ containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1e300', memory: '999Ei' } } }] })] },
  { name: 'external IPs and source ranges in odd forms', input: [svc({ type: 'LoadBalancer', selector: { app: 'web' }, externalIPs: ['198.51.100.7'], loadBalancerSourceRanges: ['10.0.0.1/8', ' 192.168.0.0/16 '], ports: [{ port: 80, targetPort: 'http' }] }, 'odd')] },
  { name: 'the longest hostname', input: [pod({ hostname: 'a'.repeat(63), subdomain: 'web', containers: [{ name: 'c', image: 'nginx' }] })] },
  { name: 'a pod bound to a node that does not exist', input: [pod({ nodeName: 'ghost', containers: [{ name: 'c', image: 'nginx' }] })] },
  { name: 'a resolver of its own', input: [pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['10.96.0.10'], searches: ['a.b'], options: [{ name: 'ndots', value: 'x' }] }, containers: [{ name: 'c', image: 'nginx' }] })] },
  { name: 'environment names and references of any shape', input: [pod({ containers: [{ name: 'c', image: 'nginx', env: [{ name: '1A', value: '$(WEB_SERVICE_HOST)$(' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }] })] },
  { name: 'a grace period of 99 years', input: [pod({ terminationGracePeriodSeconds: 3_124_000_000, containers: [{ name: 'c', image: 'nginx' }] })] },
]

/** billion laughs: each level a list of `fanout` aliases of the one below. */
export function laughs(levels: number, fanout: number): string {
  let text = 'a0: &a0 "lol"\n'
  for (let level = 1; level <= levels; level++) text += `a${level}: &a${level} [${Array.from({ length: fanout }, () => `*a${level - 1}`).join(', ')}]\n`
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${text.split('\n').filter(Boolean).map((l) => `  ${l}`).join('\n')}\n`
}

const yamlError = (detail: string) => `error: error parsing STDIN: error converting YAML to JSON: yaml: ${detail}`

/** YAML made to exhaust or confuse the parser. */
export const YAML_ATTACKS: readonly KnownCase[] = [
  { name: 'billion laughs (9 x 9)', input: laughs(9, 9), message: yamlError('document contains excessive aliasing') },
  { name: 'four levels of ten aliases', input: laughs(4, 10), message: yamlError('document contains excessive aliasing') },
  { name: 'a wide bomb: one anchor of 400, 10,000 aliases', input: `a: &a [${Array(400).fill('x').join(', ')}]\nb: [${Array.from({ length: 10_000 }, () => '*a').join(',')}]\n`, message: yamlError('document contains excessive aliasing') },
  { name: 'an anchor holding itself', input: 'a: &x {b: *x}\n', message: yamlError("anchor 'x' value contains itself") },
  { name: 'an alias of nothing', input: 'a: *nothing\n', message: yamlError("unknown anchor 'nothing' referenced") },
  { name: '20,000 nested brackets', input: `a: ${'['.repeat(20_000)}`, message: yamlError('exceeded max depth of 100') },
  { name: '200 levels of indentation', input: Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n', message: yamlError('exceeded max depth of 100') },
  { name: '150 nested aliases', input: Array.from({ length: 150 }, (_, i) => (i === 0 ? 'l0: &l0 [1]' : `l${i}: &l${i} [*l${i - 1}]`)).join('\n') + '\n', message: yamlError('exceeded max depth of 100') },
  { name: 'a duplicate key', input: 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: c\n', message: /^error: error parsing STDIN: error converting YAML to JSON: yaml: line 3: / },
  { name: 'a tab for indentation', input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: c\n', message: /^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+: / },
  { name: 'an unclosed quote', input: 'apiVersion: "v1\nkind: ConfigMap\n', message: /^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+: / },
  { name: 'a map as a key', input: '? {a: 1}\n: x\n', message: yamlError('invalid map key: map[interface {}]interface {}{"a":1}') },
  { name: '.inf', input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  n: .inf\n', message: 'error: error parsing STDIN: error converting YAML to JSON: json: unsupported value: +Inf' },
  { name: 'a merge of a scalar', input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: 5\n  name: c\n', message: yamlError('map merge requires map or sequence of maps as the value') },
]

/** Legitimate YAML the attacks must not be confused with. */
export const YAML_FINE: readonly { name: string; input: string }[] = [
  { name: 'an anchor used 21 times', input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchors\n  labels: &l {app: web}\n  annotations:\n${Array.from({ length: 21 }, (_, i) => `    a${i}: &v${i} "x"`).join('\n')}\ndata:\n${Array.from({ length: 21 }, (_, i) => `  k${i}: *v${i}`).join('\n')}\n` },
  { name: 'an anchor used 100 times', input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hundred\ndata:\n  base: &b "value"\n${Array.from({ length: 100 }, (_, i) => `  k${i}: *b`).join('\n')}\n` },
  { name: 'a merge key', input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n  labels: &l\n    app: web\n  annotations:\n    <<: *l\n    note: x\n' },
]
