import type { Example } from './example'

/** One piece of the shop: a Deployment of Kubernetes' agnhost test server, its Service and its ServiceAccount. */
interface Part {
  readonly name: string
  /** The port the container listens on (named `http`), and the Service's port in front of it. */
  readonly containerPort: number
  readonly port: number
  readonly replicas: number
  /** Services it calls, as NAME_ADDR=service:port: how the pieces find each other (through the cluster's DNS). */
  readonly calls: readonly string[]
  readonly type?: 'LoadBalancer'
}

const PARTS: readonly Part[] = [
  { name: 'storefront', containerPort: 8080, port: 80, replicas: 2, type: 'LoadBalancer', calls: ['catalog', 'cart', 'checkout', 'currency', 'recommender'] },
  { name: 'catalog', containerPort: 3550, port: 3550, replicas: 2, calls: [] },
  { name: 'cart', containerPort: 7070, port: 7070, replicas: 1, calls: ['cart-store'] },
  { name: 'checkout', containerPort: 5050, port: 5050, replicas: 1, calls: ['catalog', 'cart', 'payments', 'shipping', 'currency', 'email'] },
  { name: 'payments', containerPort: 50051, port: 50051, replicas: 1, calls: [] },
  { name: 'shipping', containerPort: 50052, port: 50052, replicas: 1, calls: [] },
  { name: 'currency', containerPort: 7000, port: 7000, replicas: 1, calls: [] },
  // Its Service listens on 5000 and sends to the container's 8080: port and targetPort need not be equal.
  { name: 'email', containerPort: 8080, port: 5000, replicas: 1, calls: [] },
  { name: 'recommender', containerPort: 8080, port: 8080, replicas: 1, calls: ['catalog'] },
]

const portOf = (name: string) => (name === 'cart-store' ? 6379 : PARTS.find((p) => p.name === name)!.port)
const envName = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_ADDR`

function part(p: Part): string {
  const env = p.calls.map((s) => `        - name: ${envName(s)}\n          value: "${s}:${portOf(s)}"\n`).join('')
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${p.name}
  namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${p.name}
  namespace: shop
  labels:
    app: ${p.name}
spec:
  replicas: ${p.replicas}
  selector:
    matchLabels:
      app: ${p.name}
  template:
    metadata:
      labels:
        app: ${p.name}
    spec:
      serviceAccountName: ${p.name}
      containers:
      - name: server
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["netexec", "--http-port=${p.containerPort}"]
        ports:
        - name: http
          containerPort: ${p.containerPort}
${env ? `        env:\n${env}` : ''}        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 5
          periodSeconds: 5
        resources:
          requests:
            cpu: 50m
            memory: 32Mi
---
apiVersion: v1
kind: Service
metadata:
  name: ${p.name}
  namespace: shop
  labels:
    app: ${p.name}
spec:
${p.type ? `  type: ${p.type}\n` : ''}  selector:
    app: ${p.name}
  ports:
  - name: http
    port: ${p.port}
    targetPort: http
`
}

/**
 * A shop split into ten services in namespace `shop`. Each is Kubernetes' own test server, agnhost netexec (it
 * answers HTTP on its port, `/healthz` for the probe, and `/dial?host=catalog&port=3550&request=hostname` to call
 * another Service from inside the pod), except the cart's store, which is Redis. Every part has its ServiceAccount,
 * a named port, a readiness probe that waits 5 s, and environment variables naming the Services it calls as
 * `name:port`; the storefront is reached from outside through a LoadBalancer.
 */
const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
${PARTS.map(part).join('---\n')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart-store
  namespace: shop
  labels:
    app: cart-store
spec:
  replicas: 1
  selector:
    matchLabels:
      app: cart-store
  template:
    metadata:
      labels:
        app: cart-store
    spec:
      containers:
      # Redis listens on 6379; the probe opens a TCP connection to it.
      - name: redis
        image: redis:7.2
        ports:
        - name: redis
          containerPort: 6379
        readinessProbe:
          tcpSocket:
            port: redis
          initialDelaySeconds: 3
          periodSeconds: 5
        resources:
          requests:
            cpu: 50m
            memory: 64Mi
---
apiVersion: v1
kind: Service
metadata:
  name: cart-store
  namespace: shop
  labels:
    app: cart-store
spec:
  selector:
    app: cart-store
  ports:
  - name: redis
    port: 6379
    targetPort: redis
`

export const SHOP: Example = {
  id: 'shop',
  title: 'Online shop (10 services)',
  namespace: 'shop',
  summary:
    'A storefront behind a LoadBalancer calling catalog, cart, checkout and six more services by name (catalog:3550, cart:7070, …), each with its ServiceAccount, a named port and a readiness probe that waits 5 s; the cart keeps its data in Redis.',
  manifest,
}
