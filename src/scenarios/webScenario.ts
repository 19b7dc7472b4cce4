/**
 * The classroom scenario: Deployment `web` (nginx's unprivileged image, which listens on 8080, named http, with a
 * readiness probe on its start page 5 s after start) behind Service `web` (port 80 -> http), and a Pod `client` to send
 * requests from. It works as written on a real cluster: stock `nginx` listens on 80 and has no /healthz, so a probe of
 * 8080 or /healthz would never pass there. The client runs the dnsutils image of
 * Kubernetes' own DNS debugging guide, Debian-based, so its resolver is glibc's, the one the simulation follows (an
 * Alpine image's musl resolver treats the search list differently). Data only: the engine's tests and the app both
 * start from it.
 */
export function webScenario(replicas = 3, image = 'nginxinc/nginx-unprivileged:1.27'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
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
        image: ${image}
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /
            port: http
          initialDelaySeconds: 5
          periodSeconds: 5
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
    image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3
    command: ["sleep", "infinity"]
`
}
