import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Service } from '../model/service'
import type { Pod } from '../model/pod'
import { webCluster } from '../testing/scenarios'

const svc = (name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec })

describe('kubectl apply', () => {
  it('answers like kubectl for each object: created, unchanged, configured', () => {
    const sim = createSimulation({ seed: 1 })
    const manifest = svc('db', { selector: { app: 'db' }, ports: [{ port: 5432 }] })
    expect(sim.apply(manifest).applied.map((a) => a.message)).toEqual(['service/db created'])
    expect(sim.apply(manifest).applied.map((a) => a.message)).toEqual(['service/db unchanged'])
    expect(sim.apply({ ...manifest, metadata: { name: 'db', labels: { tier: 'data' } } }).applied.map((a) => a.message)).toEqual(['service/db configured'])
  })

  it('reports several errors of one object as kubectl does: the object once, each field error as a bullet', () => {
    const sim = webCluster()
    const r = sim.apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 70000\n    name: a\n  - port: 80\n    name: a\n')
    expect(r.ok).toBe(false)
    expect(r.message).toBe(
      'The Service "bad" is invalid:\n' +
        '* spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive\n' +
        '* spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n' +
        '* spec.ports[1].name: Duplicate value: "a"',
    )
    // Each error still names its field and line, for the editor's gutter.
    expect(r.errors.map((e) => [e.path, e.line])).toEqual([['spec.ports[0].port', 7], ['spec.ports[0].targetPort', 7], ['spec.ports[1].name', 10]])
    expect(sim.apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  ports:\n  - port: 0\n    targetPort: 80\n').message).toBe('The Service "one" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive')
  })

  it('changes nothing when one object of many is invalid, and names the field and the reason', () => {
    const sim = createSimulation({ seed: 1 })
    const before = sim.state
    const r = sim.apply([svc('good', { ports: [{ port: 80 }] }), svc('bad', { ports: [{ port: 70000 }], type: 'ClusterIP' })])
    expect(r.ok).toBe(false)
    expect(r.errors[0]).toMatchObject({ object: 'Service default/bad', path: 'spec.ports[0].port', message: 'The Service "bad" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive' })
    expect(sim.state).toBe(before)
    expect(sim.get('Service', 'default', 'good')).toBeUndefined()
  })

  it('points at the line of the offending field in YAML', () => {
    const sim = createSimulation({ seed: 1 })
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    protocol: HTTP\n'
    const r = sim.apply(yaml)
    expect(r.errors).toEqual([expect.objectContaining({ path: 'spec.ports[0].protocol', line: 8, message: 'The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"' })])
  })

  it('reports a YAML syntax error with its line, as kubectl does', () => {
    const r = createSimulation({ seed: 1 }).apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n')
    expect(r.ok).toBe(false)
    expect(r.errors[0]!.message).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+: /)
    expect(r.errors[0]!.line).toBeGreaterThan(0)
  })

  it('refuses unknown fields and undecodable values, as strict decoding does', () => {
    const sim = createSimulation({ seed: 1 })
    const typo = sim.apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetport: 8080\n')
    expect(typo.errors[0]).toMatchObject({ line: 8, message: 'Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].targetport"' })
    const number = sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { version: 1 }, ports: [{ port: 80 }] } })
    expect(number.errors[0]!.message).toBe('Error from server (BadRequest): error when creating "STDIN": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number into Go struct field ServiceSpec.spec.selector of type string')
    expect(sim.get('Service', 'default', 'web')).toBeUndefined()
  })

  it('stores kinds it does not simulate and says so, without failing the apply', () => {
    const sim = createSimulation({ seed: 1 })
    const r = sim.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } }, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 3 } }])
    expect(r.applied.map((a) => a.message)).toEqual(['serviceaccount/robot created (stored, not simulated)', 'widget.example.com/w created (stored, not simulated)'])
    expect(sim.unsimulated().map((o) => o.kind)).toContain('Widget')
  })

  it('refuses objects without apiVersion/kind, with the wrong API group, or in a missing namespace', () => {
    const sim = createSimulation({ seed: 1 })
    expect(sim.apply({ metadata: { name: 'x' } }).errors[0]!.message).toBe('error: error validating "STDIN": error validating data: [apiVersion not set, kind not set]; if you choose to ignore these errors, turn validation off with --validate=false')
    expect(sim.apply({ kind: 'Pod', metadata: { name: 'x' } }).errors[0]!.message).toBe('error: error validating "STDIN": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false')
    expect(sim.apply({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'x' } }).errors[0]!.message).toContain('no matches for kind "Deployment" in version "extensions/v1beta1"')
    const inShop = { ...svc('x', { ports: [{ port: 80 }] }), metadata: { name: 'x', namespace: 'shop' } }
    expect(sim.apply(inShop).errors[0]!.message).toBe('Error from server (NotFound): error when creating "STDIN": namespaces "shop" not found')
    expect(sim.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, inShop]).ok).toBe(true)
  })

  it('refuses absurd replica counts before doing any work', () => {
    const sim = webCluster()
    const r = sim.scale('default', 'web', 1_000_000)
    expect(r.errors[0]!.message).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: 1000000: must be less than or equal to 10000 (the simulator\'s limit per workload)')
    expect(sim.scale('default', 'web', -1).errors[0]!.message).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0')
    expect(sim.scale('default', 'web', 2.5).errors[0]!.message).toContain('must be an integer')
    expect(sim.scale('default', 'nope', 2).errors[0]!.message).toBe('Error from server (NotFound): deployments.apps "nope" not found')
  })

  it('re-applying what is applied changes nothing, keeps what controllers wrote, and drops what the user dropped (three-way merge)', () => {
    const sim = webCluster()
    const manifest = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', annotations: { team: 'blue', note: 'first' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx' }] } } },
    }
    expect(sim.apply(manifest).applied.map((a) => a.message)).toEqual(['deployment.apps/api created'])
    sim.settle()
    const before = sim.get('Deployment', 'default', 'api')!
    expect(before.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('1')
    expect(before.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"note":"first","team":"blue"},"name":"api","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"api"}},"template":{"metadata":{"labels":{"app":"api"}},"spec":{"containers":[{"image":"nginx","name":"api"}]}}}}\n',
    )
    expect(sim.apply(manifest).applied.map((a) => a.message)).toEqual(['deployment.apps/api unchanged'])
    expect(sim.get('Deployment', 'default', 'api')!.metadata.resourceVersion).toBe(before.metadata.resourceVersion)
    // The user drops an annotation: it goes; the controller's revision stays.
    const dropped = { ...manifest, metadata: { name: 'api', annotations: { team: 'blue' } } }
    expect(sim.apply(dropped).applied.map((a) => a.message)).toEqual(['deployment.apps/api configured'])
    const after = sim.get('Deployment', 'default', 'api')!.metadata.annotations!
    expect(after['note']).toBeUndefined()
    expect(after['team']).toBe('blue')
    expect(after['deployment.kubernetes.io/revision']).toBe('1')
  })

  it('keeps a Deployment\'s selector immutable and its scaled replica count when the manifest leaves replicas out', () => {
    const sim = webCluster()
    sim.scale('default', 'web', 5)
    const d = structuredClone(sim.get('Deployment', 'default', 'web')) as unknown as { spec: Record<string, unknown>; status?: unknown }
    delete d.spec['replicas']
    delete d.status
    expect(sim.apply(d).ok).toBe(true)
    expect((sim.get('Deployment', 'default', 'web')!.spec as { replicas: number }).replicas).toBe(5)
    // From the object as it is now (the apply above recorded itself on it, so the old resourceVersion would conflict).
    const moved = structuredClone(sim.get('Deployment', 'default', 'web')) as unknown as { spec: { selector: unknown; template: { metadata: { labels: unknown } } } }
    moved.spec.selector = { matchLabels: { app: 'other' } }
    moved.spec.template.metadata.labels = { app: 'other' }
    expect(sim.apply(moved).errors[0]!.message).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}')
  })

  it('requires the selector to match the template labels', () => {
    const r = createSimulation({ seed: 1 }).apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })
    expect(r.errors[0]!.message).toBe('The Deployment "d" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`')
  })
})

describe('Service allocation', () => {
  it('gives dynamic ClusterIPs from above the static band and honours an explicit free one', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply([svc('a', { ports: [{ port: 80 }] }), svc('b', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] })])
    const a = sim.get('Service', 'default', 'a') as Service
    expect(a.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/)
    expect(a.spec.clusterIP).not.toMatch(/^10\.96\.0\./)
    expect(a.spec.clusterIPs).toEqual([a.spec.clusterIP])
    expect((sim.get('Service', 'default', 'b') as Service).spec.clusterIP).toBe('10.96.0.50')
  })

  it('refuses a taken or out-of-range ClusterIP with the API server\'s message', () => {
    const sim = createSimulation({ seed: 1 })
    expect(sim.apply(svc('dns2', { clusterIP: '10.96.0.10', ports: [{ port: 53 }] })).errors[0]!.message).toBe(
      'The Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated')
    expect(sim.apply(svc('far', { clusterIP: '192.168.1.1', ports: [{ port: 80 }] })).errors[0]!.message).toBe(
      'The Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12')
  })

  it('allocates NodePorts from 30086-32767 unless asked, refuses taken or out-of-range ones, and keeps them across applies', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply(svc('np', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] }))
    const port = (sim.get('Service', 'default', 'np') as Service).spec.ports![0]!.nodePort!
    expect(port).toBeGreaterThanOrEqual(30086)
    expect(port).toBeLessThanOrEqual(32767)
    sim.apply(svc('np', { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] }))
    expect((sim.get('Service', 'default', 'np') as Service).spec.ports![0]!.nodePort).toBe(port)
    expect(sim.apply(svc('np2', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] })).errors[0]!.message).toBe(`The Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`)
    expect(sim.apply(svc('np3', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] })).errors[0]!.message).toBe('The Service "np3" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767')
  })

  it('gives a LoadBalancer an address from the pool after provisioning, and frees IP and ports on delete', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply(svc('lb', { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] }))
    expect((sim.get('Service', 'default', 'lb') as Service).status.loadBalancer.ingress).toBeUndefined()
    sim.settle()
    const lb = sim.get('Service', 'default', 'lb') as Service
    expect(lb.status.loadBalancer.ingress).toEqual([{ ip: '203.0.113.10', ipMode: 'VIP' }])
    sim.delete('service', 'default', 'lb')
    sim.settle()
    expect(sim.state.clusterIPs.has(lb.spec.clusterIP!)).toBe(false)
    expect(sim.state.nodePorts.has(lb.spec.ports![0]!.nodePort!)).toBe(false)
    expect(sim.state.loadBalancerIPs.size).toBe(0)
  })

  it('never changes a Service\'s ClusterIP once set', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply(svc('a', { ports: [{ port: 80 }] }))
    expect(sim.apply(svc('a', { clusterIP: '10.96.0.99', ports: [{ port: 80 }] })).errors[0]!.message).toBe('The Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set')
  })
})

describe('kubectl delete', () => {
  it('says NotFound like kubectl and refuses to delete system namespaces', () => {
    const sim = createSimulation({ seed: 1 })
    expect(sim.delete('svc', 'default', 'ghost').errors[0]!.message).toBe('Error from server (NotFound): services "ghost" not found')
    expect(sim.delete('ns', undefined, 'kube-system').ok).toBe(false)
  })

  it('empties a namespace before removing it', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }])
    sim.settle()
    sim.delete('namespace', undefined, 'shop')
    expect(sim.get('Namespace', undefined, 'shop')!.status).toEqual({ phase: 'Terminating' })
    sim.settle()
    expect(sim.get('Namespace', undefined, 'shop')).toBeUndefined()
    expect(sim.list('Pod', 'shop')).toEqual([])
  })

  it('takes a Deployment\'s ReplicaSets and pods along', () => {
    const sim = webCluster()
    sim.delete('deploy', 'default', 'web')
    sim.settle()
    expect(sim.list('ReplicaSet', 'default')).toEqual([])
    expect(sim.list('Pod', 'default').map((p) => p.metadata.name)).toEqual(['client'])
  })
})

describe('kubectl apply, object by object in one batch', () => {
  it('applies a second object of one name as an update of the first, as kubectl does in turn: nothing leaks', () => {
    const sim = createSimulation({ seed: 1 })
    const ips = sim.state.clusterIPs.size
    const r = sim.apply([svc('dup', { type: 'NodePort', ports: [{ port: 80 }] }), svc('dup', { type: 'NodePort', ports: [{ port: 80 }, { name: 'b', port: 81 }].map((p, i) => (i === 0 ? { ...p, name: 'a' } : p)) })])
    expect(r.applied.map((a) => a.message)).toEqual(['service/dup created', 'service/dup configured'])
    const dup = sim.get('Service', 'default', 'dup') as Service
    expect(sim.state.clusterIPs.size).toBe(ips + 1)
    expect(sim.state.clusterIPs.get(dup.spec.clusterIP!)).toBe('default/dup')
    expect([...sim.state.nodePorts.values()]).toEqual(['default/dup', 'default/dup'])
  })

  it('counts the nodes of the whole batch against the simulator\'s limit, and writes none when it is passed', () => {
    const sim = createSimulation({ seed: 1, workers: 1, config: { maxNodes: 4 } })
    const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `extra-${i}` } }))
    const r = sim.apply(nodes(3))
    expect(r.ok).toBe(false)
    expect(r.message).toBe('The Node "extra-2" is invalid: the simulator holds at most 4 nodes')
    expect(sim.list('Node')).toHaveLength(2)
    expect(sim.apply(nodes(2)).ok).toBe(true)
  })

  it('refuses new objects in a namespace being terminated, as the NamespaceLifecycle admission does', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }])
    sim.settle()
    sim.delete('ns', undefined, 'shop')
    const before = sim.state
    const r = sim.apply({ ...svc('cart', { ports: [{ port: 80 }] }), metadata: { name: 'cart', namespace: 'shop' } })
    expect(r.message).toBe('Error from server (Forbidden): error when creating "STDIN": services "cart" is forbidden: unable to create new content in namespace shop because it is being terminated')
    expect(sim.state).toBe(before)
  })

  it('knows the kinds of Kubernetes 1.33 by their exact names and versions; other groups are custom resources', () => {
    const sim = createSimulation({ seed: 1 })
    expect(sim.apply({ apiVersion: 'v1', kind: 'service', metadata: { name: 'web' } }).message).toBe('resource mapping not found for name: "web" namespace: "" from "STDIN": no matches for kind "service" in version "v1"\nensure CRDs are installed first')
    expect(sim.apply({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'd' } }).ok).toBe(false)
    expect(sim.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' } }).ok).toBe(false)
    expect(sim.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { gatewayClassName: 'x' } }).applied[0]!.message).toBe('gateway.gateway.networking.k8s.io/g created (stored, not simulated)')
    expect(sim.apply({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader', namespace: 'default' } }).applied[0]).toMatchObject({ message: 'clusterrole.rbac.authorization.k8s.io/reader created (stored, not simulated)' })
    expect(sim.get('ClusterRole', undefined, 'reader')!.metadata.namespace).toBeUndefined()
  })

  it('lets a Pod update change its image only, and the kubelet restarts that container', () => {
    const sim = webCluster()
    const client = sim.get('Pod', 'default', 'client') as Pod
    // The container as the manifest has it: the token mount is admission's, not the user's.
    const { volumeMounts: _mounts, ...container } = client.spec.containers[0]!
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { containers: [{ ...container, image: 'busybox:1.37' }] } }
    expect(sim.apply(manifest).applied[0]!.message).toBe('pod/client configured')
    sim.settle()
    const after = sim.get('Pod', 'default', 'client') as Pod
    expect(after.status.containerStatuses![0]).toMatchObject({ image: 'docker.io/library/busybox:1.37', restartCount: 1, ready: true })
    expect(sim.events().some((e) => e.object === 'Pod default/client' && e.message === 'Container client definition changed, will be restarted')).toBe(true)
    const moved = sim.apply({ ...manifest, spec: { ...manifest.spec, containers: [{ ...container, image: 'busybox:1.37', ports: [{ containerPort: 80 }] }] } })
    expect(moved.message).toBe('The Pod "client" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')
  })

  it('reads a ClusterIP with leading zeros as 1.33 does: the same address, with kubectl\'s warning', () => {
    const sim = createSimulation({ seed: 1 })
    expect(sim.apply(svc('dns2', { clusterIP: '10.96.0.010', ports: [{ port: 53 }] })).message).toBe(
      'The Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated')
    const r = sim.apply(svc('eleven', { clusterIP: '10.96.0.011', ports: [{ port: 80 }] }))
    expect(r.warnings).toEqual(['Warning: spec.clusterIPs[0]: non-standard IP address "10.96.0.011" will be considered invalid in a future Kubernetes release: use "10.96.0.11"'])
    expect((sim.get('Service', 'default', 'eleven') as Service).spec.clusterIPs).toEqual(['10.96.0.11'])
    expect(sim.state.clusterIPs.get('10.96.0.11')).toBe('default/eleven')
  })

  it('keeps what is immutable: a ClusterIP Service cannot become headless, a slice keeps its address type', () => {
    const sim = webCluster()
    const headless = sim.apply(svc('web', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }))
    expect(headless.message).toBe('The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set')
    const slice = (addressType: string) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'manual' }, addressType, endpoints: [] })
    expect(sim.apply(slice('IPv4')).ok).toBe(true)
    expect(sim.apply(slice('IPv6')).message).toBe('The EndpointSlice "manual" is invalid: addressType: Invalid value: "IPv6": field is immutable')
  })

  it('refuses a resourceVersion on create, and a stale one on update, as the API server does', () => {
    const sim = createSimulation({ seed: 1 })
    const withRV = (rv: string) => ({ ...svc('v', { ports: [{ port: 80 }] }), metadata: { name: 'v', resourceVersion: rv } })
    expect(sim.apply(withRV('5')).message).toBe('Error from server (BadRequest): error when creating "STDIN": resourceVersion should not be set on objects to be created')
    sim.apply(svc('v', { ports: [{ port: 80 }] }))
    const live = sim.get('Service', 'default', 'v')!
    expect(sim.apply(withRV(live.metadata.resourceVersion!)).ok).toBe(true)
    expect(sim.apply(withRV('5')).message).toBe('Error from server (Conflict): error when applying patch: Operation cannot be fulfilled on services "v": the object has been modified; please apply your changes to the latest version and try again')
  })

  it('serves a hand-written EndpointSlice without conditions (they are optional) to kube-proxy, CoreDNS and kubectl', () => {
    const sim = webCluster()
    const target = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-')) as Pod
    const r = sim.apply([
      svc('manual', { ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'manual-1', labels: { 'kubernetes.io/service-name': 'manual' } }, addressType: 'IPv4', endpoints: [{ addresses: [target.status.podIP] }], ports: [{ name: 'http', port: 8080 }] },
    ])
    expect(r.ok).toBe(true)
    expect(sim.settle().settled).toBe(true)
    expect(sim.kubeProxyRules('worker-1')).toContain(`--to-destination ${target.status.podIP}:8080`)
    expect(sim.kubectlGet('endpointslices')).toMatch(new RegExp(`manual-1\\s+IPv4\\s+8080\\s+${target.status.podIP!.replace(/\./g, '\\.')}`))
    expect(sim.connect('default/client', 'manual:80')).toMatchObject({ ok: true, pod: `default/${target.metadata.name}` })
  })
})
