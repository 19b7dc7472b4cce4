import { createSimulation, type Simulation } from '../index'

/** The classroom scenario: Deployment web (containerPort 8080 named http, a readiness probe) behind Service web:80. */
export function webManifest(replicas = 3, image = 'nginx:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: client
    image: curlimages/curl:8.11.1
    command: [sleep, infinity]
`
}

/** A settled cluster running the web scenario. */
export function webCluster(options: { seed?: number; workers?: number; replicas?: number } = {}): Simulation {
  const sim = createSimulation({ seed: options.seed ?? 42, workers: options.workers ?? 2 })
  const result = sim.apply(webManifest(options.replicas ?? 3))
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  return sim
}
