/** A kubeconfig for the server: one cluster, one user without credentials, one context (namespace default). */
export function kubeconfig(url: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: simulated
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
contexts:
- name: simulated
  context:
    cluster: simulated
    user: student
    namespace: default
current-context: simulated
users:
- name: student
  user: {}
preferences: {}
`
}
