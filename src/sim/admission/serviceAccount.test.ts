import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Pod } from '../model/pod'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { catchUp, webCluster } from '../testing/scenarios'

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount'
const volumeOf = (pod: Pod) => (pod.spec['volumes'] as { name: string; projected?: unknown }[] | undefined)?.find((v) => v.name.startsWith('kube-api-access-'))
const mountsOf = (c: Pod['spec']['containers'][number]) => (c['volumeMounts'] as { name: string; mountPath: string; readOnly: boolean }[] | undefined) ?? []

describe('ServiceAccount admission', () => {
  it('gives every pod, applied or created by a controller, the kube-api-access volume and its mount in every container', () => {
    const sim = webCluster()
    sim.apply({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two' },
      spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'a', image: 'busybox:1.36' }, { name: 'b', image: 'busybox:1.36' }] },
    })
    const pods = (sim.list('Pod', 'default') as Pod[])
    expect(pods.map((p) => p.metadata.name).filter((n) => n.startsWith('web-'))).toHaveLength(3)
    for (const pod of pods) {
      const volume = volumeOf(pod)!
      expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      expect(volume).toEqual({
        name: volume.name,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      })
      for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) expect(mountsOf(c)).toEqual([{ mountPath: MOUNT, name: volume.name, readOnly: true }])
      expect(pod.spec.serviceAccountName).toBe('default')
      expect(pod.spec['serviceAccount']).toBe('default')
    }
    // The suffix is drawn for each pod.
    expect(new Set(pods.map((p) => volumeOf(p)!.name)).size).toBe(pods.length)
  })

  it('mounts nothing when the pod or its ServiceAccount turns automounting off', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'by-account' }, spec: { serviceAccountName: 'quiet', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'by-pod' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      // The pod's own setting wins over its account's.
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod-wins' }, spec: { serviceAccountName: 'quiet', automountServiceAccountToken: true, containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    ])
    expect(volumeOf(sim.get('Pod', 'default', 'by-account') as Pod)).toBeUndefined()
    expect(volumeOf(sim.get('Pod', 'default', 'by-pod') as Pod)).toBeUndefined()
    expect(volumeOf(sim.get('Pod', 'default', 'pod-wins') as Pod)).toBeDefined()
  })

  it('takes the deprecated serviceAccount field as the account when it is the only one given', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'old-style' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { serviceAccount: 'old-style', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    ])
    expect((sim.get('Pod', 'default', 'p') as Pod).spec).toMatchObject({ serviceAccountName: 'old-style', serviceAccount: 'old-style' })
  })

  it('refuses a pod naming a ServiceAccount that does not exist, as the API server does, and changes nothing', () => {
    const sim = webCluster()
    const before = sim.state
    const r = sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lost' }, spec: { serviceAccountName: 'nobody', containers: [{ name: 'c', image: 'busybox:1.36' }] } })
    expect(r.ok).toBe(false)
    expect(r.errors.map((e) => e.message)).toEqual(['Error from server (Forbidden): error when creating "STDIN": pods "lost" is forbidden: error looking up service account default/nobody: serviceaccount "nobody" not found'])
    expect(sim.state).toBe(before)
  })

  it('admits a pod whose account, or whose namespace (and so its default account), comes earlier in the same apply', () => {
    const sim = webCluster()
    const r = sim.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    ])
    expect(r.errors).toEqual([])
    expect(volumeOf(sim.get('Pod', 'team', 'p') as Pod)).toBeDefined()
  })

  it("leaves the static control-plane pods' mirror pods without an account or a token volume", () => {
    const sim = webCluster()
    const pod = sim.get('Pod', 'kube-system', 'kube-apiserver-control-plane') as Pod
    expect(pod.spec.serviceAccountName).toBeUndefined()
    expect(volumeOf(pod)).toBeUndefined()
  })

  it('accepts the same Pod manifest applied again: what admission added is not a change', () => {
    const sim = webCluster()
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'again' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } }
    sim.apply(manifest)
    const r = sim.apply(manifest)
    expect(r.errors).toEqual([])
    expect(r.applied[0]!.result).toBe('unchanged')
  })

  it("fails a ReplicaSet's pods whose account is missing (FailedCreate, ReplicaFailure), retries, and succeeds once it exists", () => {
    const sim = createSimulation({ seed: 9, workers: 1 })
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
    }
    expect(sim.apply(d).ok).toBe(true)
    sim.advance(2_000)
    expect(sim.list('Pod', 'default')).toHaveLength(0)
    const [rs] = sim.list('ReplicaSet', 'default') as ReplicaSet[]
    const failures = sim.events().filter((e) => e.reason === 'FailedCreate')
    expect(failures.length).toBeGreaterThan(1)
    expect(failures[0]!.message).toBe(`Error creating: pods "${rs!.metadata.name}-" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found`)
    expect(rs!.status.conditions).toEqual([expect.objectContaining({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' })])
    expect((sim.get('Deployment', 'default', 'app') as Deployment).status.conditions?.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate' })
    sim.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } })
    // The next retry of the rate-limited queue finds it.
    sim.advance(60_000)
    expect(sim.list('Pod', 'default')).toHaveLength(2)
    expect((sim.get('ReplicaSet', 'default', rs!.metadata.name) as ReplicaSet).status.conditions).toBeUndefined()
    expect((sim.get('Deployment', 'default', 'app') as Deployment).status.conditions?.map((c) => c.type)).not.toContain('ReplicaFailure')
  })
})

describe('serviceaccount controller and root-ca-cert-publisher', () => {
  it('give every namespace, the bootstrap ones and new ones, a default ServiceAccount and the kube-root-ca.crt ConfigMap', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })
    catchUp(sim)
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'team']) {
      expect(sim.get('ServiceAccount', ns, 'default')).toBeDefined()
      const cm = sim.get('ConfigMap', ns, 'kube-root-ca.crt') as unknown as { data: Record<string, string>; metadata: { annotations: Record<string, string> } }
      expect(cm.data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/)
      expect(cm.metadata.annotations['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/)
    }
    expect((sim.list('ServiceAccount', 'kube-system')).map((sa) => sa.metadata.name)).toEqual(['coredns', 'default', 'kube-proxy'])
  })

  it('put back a deleted default ServiceAccount and a deleted or edited kube-root-ca.crt', () => {
    const sim = webCluster()
    const sa = sim.get('ServiceAccount', 'default', 'default')!
    const ca = (sim.get('ConfigMap', 'default', 'kube-root-ca.crt') as unknown as { data: Record<string, string> }).data['ca.crt']
    sim.delete('sa', 'default', 'default')
    catchUp(sim)
    expect(sim.get('ServiceAccount', 'default', 'default')?.metadata.uid).not.toBe(sa.metadata.uid)
    sim.delete('cm', 'default', 'kube-root-ca.crt')
    catchUp(sim)
    expect(sim.get('ConfigMap', 'default', 'kube-root-ca.crt')).toBeDefined()
    sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'tampered' } })
    catchUp(sim)
    expect((sim.get('ConfigMap', 'default', 'kube-root-ca.crt') as unknown as { data: Record<string, string> }).data).toEqual({ 'ca.crt': ca })
  })
})
