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
    const text = ['nodes -o wide', 'pods -o wide', 'svc', 'endpointslices', 'endpoints', 'deploy', 'rs']
      .map((cmd) => `$ kubectl get ${cmd}\n${sim.kubectlGet(cmd.split(' ')[0]!, { wide: cmd.includes('wide') })}`)
      .join('\n')
    expect(sim.kubectlGet('svc')).toMatch(/^NAME {3,}TYPE {3,}CLUSTER-IP {3,}EXTERNAL-IP {3,}PORT\(S\) {3,}AGE\n/)
    expect(sim.kubectlGet('endpointslices')).toMatch(/db-\w{5} +IPv4 +<unset> +<unset>/)
    expectGolden(`${__dirname}/__golden__/kubectl-get.txt`, text)
  })

  it('says there is nothing, as kubectl does', () => {
    expect(webCluster().kubectlGet('pods', { namespace: 'kube-public' })).toBe('No resources found in kube-public namespace.\n')
  })
})
