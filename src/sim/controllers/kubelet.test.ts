import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Pod } from '../model/pod'
import { catchUp, webCluster, webManifest } from '../testing/scenarios'
import { expectGolden } from '../testing/golden'
import { imageSize } from './imageSize'
import { normalizeImage } from './kubelet'

const readyCondition = (p: Pod) => p.status.conditions?.find((c) => c.type === 'Ready')?.status

describe('kubelet', () => {
  it('takes a pod through sandbox (IP while still Pending), container start, and the readiness probe', () => {
    const sim = createSimulation({ seed: 5, workers: 2 })
    sim.apply(webManifest(1))
    // The Deployment's ReplicaSet creates the pod, the scheduler binds it and the kubelet takes it in, each a moment
    // after the write before it.
    catchUp(sim)
    const name = () => sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    const pod = () => sim.get('Pod', 'default', name()) as Pod
    expect(pod().spec.nodeName).toBeDefined()
    expect(pod().status.phase).toBe('Pending')
    expect(pod().status.podIP).toBeUndefined()
    sim.advance(400)
    expect(pod().status.phase).toBe('Pending')
    expect(pod().status.podIP).toMatch(/^10\.244\.[12]\.\d+$/)
    let started: number | undefined
    while (started === undefined && sim.now < 30_000) {
      sim.advance(100)
      if (pod().status.phase === 'Running') started = sim.now
    }
    expect(readyCondition(pod())).toBe('False')
    // initialDelaySeconds 5 and periodSeconds 5: the first probe that may run is 5 s after start.
    sim.advance(4_800)
    expect(readyCondition(pod())).toBe('False')
    sim.advance(300)
    expect(readyCondition(pod())).toBe('True')
    expect(pod().status.conditions!.map((c) => c.type)).toEqual(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])
    const reasons = sim.events().filter((e) => e.object === `Pod default/${name()}`).map((e) => e.reason ?? e.action)
    expect(reasons).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'ready'])
  })

  it('runs a pod made again under the same name, before the deletion reached the kubelet, as a new pod', () => {
    const sim = webCluster()
    const node = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName!
    const uid = sim.get('Pod', 'default', 'client')!.metadata.uid
    // Deleting the node removes its pods at once; the kubelet hears of it a moment later.
    sim.delete('node', undefined, node)
    expect(sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }).ok).toBe(true)
    expect(sim.settle().settled).toBe(true)
    const again = sim.get('Pod', 'default', 'client') as Pod
    expect(again.metadata.uid).not.toBe(uid)
    expect(again.spec.nodeName).not.toBe(node)
    expect(again.status.phase).toBe('Running')
    expect(again.status.podIP).toMatch(/^10\.244\./)
  })

  it('fixes the environment at container start: a Service created later is not in it', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late-comer' }, spec: { selector: { app: 'x' }, ports: [{ port: 5432 }] } })
    sim.settle()
    expect(Object.keys(sim.env('default/client')!).some((k) => k.startsWith('LATE_COMER_'))).toBe(false)
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client-2' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })
    sim.settle()
    expect(sim.env('default/client-2')!['LATE_COMER_SERVICE_PORT']).toBe('5432')
  })

  it('writes the service links and resolv.conf the way the kubelet does (golden)', () => {
    const sim = webCluster()
    const env = sim.env('default/client')!
    expectGolden(`${__dirname}/__golden__/client-env.txt`, `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n\n${sim.resolvConf('default/client')}`)
    expect(env['WEB_SERVICE_PORT_HTTP']).toBe('80')
    expect(env['WEB_PORT_80_TCP_ADDR']).toBe((sim.get('Service', 'default', 'web')!.spec as { clusterIP: string }).clusterIP)
  })

  it('keeps a deleted pod Terminating while its process shuts down, then removes it and frees its IP', () => {
    const sim = webCluster()
    const victim = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-')) as Pod
    sim.delete('pod', 'default', victim.metadata.name)
    sim.advance(500)
    const terminating = sim.get('Pod', 'default', victim.metadata.name) as Pod
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30)
    expect(sim.events().some((e) => e.reason === 'Killing' && e.object.endsWith(victim.metadata.name))).toBe(true)
    sim.settle()
    expect(sim.get('Pod', 'default', victim.metadata.name)).toBeUndefined()
    expect([...sim.state.ipam.get(victim.spec.nodeName!)!.used.keys()]).not.toContain(victim.status.podIP)
  })

  it('runs a preStop sleep before SIGTERM: the pod stays Terminating (serving) that long, within the grace period', () => {
    const sim = createSimulation({ seed: 3, workers: 1 })
    const pod = (name: string, grace: number) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'app', image: 'nginx', lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 10'] } } } }] },
    })
    sim.apply([pod('drain', 30), pod('short', 3)])
    sim.settle()
    sim.delete('pod', 'default', 'drain')
    sim.delete('pod', 'default', 'short')
    sim.advance(5_000)
    expect(sim.get('Pod', 'default', 'drain')).toBeDefined()
    expect(sim.get('Pod', 'default', 'short')).toBeUndefined()
    sim.advance(6_500)
    expect(sim.get('Pod', 'default', 'drain')).toBeUndefined()
  })

  it('hands out pod IPs from the node\'s /24 upward from .2, not reusing a freed one at once', () => {
    const sim = webCluster({ workers: 1 })
    const ips = (sim.list('Pod', 'default') as Pod[]).map((p) => p.status.podIP).sort()
    expect(ips).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4', '10.244.1.5'])
    const victim = (sim.list('Pod', 'default') as Pod[]).find((p) => p.metadata.name.startsWith('web-'))!
    sim.delete('pod', 'default', victim.metadata.name)
    sim.settle()
    const replacement = (sim.list('Pod', 'default') as Pod[]).find((p) => !ips.includes(p.status.podIP))
    expect(replacement?.status.podIP).toBe('10.244.1.6')
  })

  it('normalises image names as containerd reports them', () => {
    expect(normalizeImage('nginx')).toBe('docker.io/library/nginx:latest')
    expect(normalizeImage('curlimages/curl:8.11.1')).toBe('docker.io/curlimages/curl:8.11.1')
    expect(normalizeImage('registry.k8s.io/coredns/coredns:v1.12.0')).toBe('registry.k8s.io/coredns/coredns:v1.12.0')
  })

  it('reports a pull as upstream prints it: the simulated pull time, Go duration format, and the image size', () => {
    const sim = webCluster()
    const pod = (sim.list('Pod', 'default') as Pod[]).find((p) => p.metadata.name.startsWith('web-'))!
    const story = sim.events().filter((e) => e.object === `Pod default/${pod.metadata.name}`)
    const pulling = story.find((e) => e.reason === 'Pulling')!
    const pulled = story.find((e) => e.reason === 'Pulled')!
    // The pull runs from the Pulling event until the container is created, 0.3 s before it starts.
    const took = pulled.time - pulling.time - 300
    const secs = (took / 1000).toFixed(3).replace(/\.?0+$/, '')
    expect(pulled.message).toBe(`Successfully pulled image "nginxinc/nginx-unprivileged:1.27" in ${secs}s (${secs}s including waiting). Image size: 72433911 bytes.`)
    // The same image is then present on that node.
    const sibling = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'again' }, spec: { nodeName: pod.spec.nodeName, containers: [{ name: 'c', image: 'nginxinc/nginx-unprivileged:1.27' }] } }
    sim.apply(sibling)
    sim.settle()
    expect(sim.events().find((e) => e.object === 'Pod default/again' && e.reason === 'Pulled')?.message).toBe('Container image "nginxinc/nginx-unprivileged:1.27" already present on machine')
  })

  it('sizes images from a table of the samples\' images, and any other by its name, always the same', () => {
    expect(imageSize('docker.io/library/nginx:1.27')).toBe(72_406_859)
    expect(imageSize('registry.k8s.io/coredns/coredns:v1.12.0')).toBe(20_939_036)
    const other = imageSize('docker.io/library/redis:7.4')
    expect(other).toBe(imageSize('docker.io/library/redis:7.4'))
    expect(other).toBeGreaterThanOrEqual(5_000_000)
    expect(other).toBeLessThan(150_000_000)
    expect(other).not.toBe(imageSize('docker.io/library/redis:7.2'))
    // Another tag of a known repository stays within 1% of it.
    expect(Math.abs(imageSize('docker.io/library/nginx:1.29') / 72_406_859 - 1)).toBeLessThanOrEqual(0.01)
  })
})
