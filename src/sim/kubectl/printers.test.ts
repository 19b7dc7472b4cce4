import { describe, expect, it } from 'vitest'
import { expectGolden } from '../testing/golden'
import { webCluster } from '../testing/scenarios'

describe('kubectl get', () => {
  it('prints the web scenario as kubectl does (golden)', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'search' }, spec: { type: 'ExternalName', externalName: 'search.example.com' } },
    ])
    const pending = sim.kubectlGet('svc')
    expect(pending).toMatch(/web-lb\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP/)
    sim.settle()
    const text = ['nodes -o wide', 'pods -o wide', 'svc', 'svc -o wide', 'endpointslices', 'endpoints', 'deploy', 'deploy -o wide', 'rs -o wide']
      .map((cmd) => `$ kubectl get ${cmd}\n${sim.kubectlGet(cmd.split(' ')[0]!, { wide: cmd.includes('wide') })}`)
      .join('\n')
    expect(sim.kubectlGet('svc')).toMatch(/^NAME {3,}TYPE {3,}CLUSTER-IP {3,}EXTERNAL-IP {3,}PORT\(S\) {3,}AGE\n/)
    expect(sim.kubectlGet('endpointslices')).toMatch(/db-\w{5} +IPv4 +<unset> +<unset>/)
    expectGolden(`${__dirname}/__golden__/kubectl-get.txt`, text)
  })

  it('lists endpoints port by port, and leaves the cell empty when the pods match but none is ready', () => {
    const sim = webCluster()
    expect(sim.kubectlGet('endpoints', { namespace: 'kube-system' })).toMatch(/kube-dns +10\.244\.0\.2:53,10\.244\.0\.3:53,10\.244\.0\.2:53 \+ 3 more\.\.\./)
    sim.scale('default', 'web', 4)
    sim.scale('default', 'web', 0)
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'slow', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 600 } }] } })
    sim.advance(30_000)
    expect(sim.kubectlGet('endpoints')).toMatch(/\nweb +\d+s\n/)
  })

  it('keeps generated names within 63 characters', () => {
    const sim = webCluster()
    const long = 'my-very-long-deployment-name-for-testing-truncation-x'
    sim.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: long }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } })
    for (const p of sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('my-very'))) expect(p.metadata.name.length).toBeLessThanOrEqual(63)
  })

  it('says there is nothing, as kubectl does', () => {
    expect(webCluster().kubectlGet('pods', { namespace: 'kube-public' })).toBe('No resources found in kube-public namespace.\n')
  })

  it('caps an EndpointSlice\'s PORTS at three, and sorts selectors by key, as kubectl does', () => {
    const sim = webCluster()
    const ports = [1, 2, 3, 4, 5].map((n) => ({ name: `p${n}`, port: 8000 + n }))
    sim.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'many' }, spec: { selector: { app: 'web' }, ports } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'two' }, spec: { selector: { tier: 'x', app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'none' }, spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] } },
    ])
    sim.settle()
    expect(sim.kubectlGet('endpointslices')).toMatch(/many-\w{5} +IPv4 +8001,8002,8003 \+ 2 more\.\.\. +10\.244\./)
    expect(sim.kubectlGet('endpointslices')).toMatch(/none-\w{5} +IPv4 +<unset> +<unset> /)
    expect(sim.kubectlGet('svc', { wide: true })).toMatch(/two .* app=web,tier=x\n/)
  })

  it('knows the short names of kinds it stores without simulating them', () => {
    const sim = webCluster()
    sim.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'frontend' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } }])
    // Every namespace has its default account and the cluster CA, written by their controllers.
    expect(sim.kubectlGet('sa')).toMatch(/^NAME +SECRETS +AGE\ndefault +0 +\d+s\nfrontend +0 +0s\n$/)
    expect(sim.kubectlGet('cm')).toMatch(/^NAME +DATA +AGE\nkube-root-ca\.crt +1 +\d+s\nsettings +1 +0s\n$/)
  })
})
