/** The cluster every first visit starts with: web (3 replicas, a readiness probe) behind Service web:80, and a client. */
export const DEFAULT_SCENARIO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 2
          periodSeconds: 2
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
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
    command: ["sleep", "infinity"]
`

/** ?seed=N in the address sets the seed; anything else falls back to 1. */
export function seedFromLocation(search: string): number {
  const raw = new URLSearchParams(search).get('seed')
  const n = raw === null ? NaN : Number(raw)
  return Number.isSafeInteger(n) && n >= 0 ? n : 1
}
