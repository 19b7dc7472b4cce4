/** Starting points for the YAML editor: each works as written on a real cluster (real images, probes they answer). */
export const TEMPLATES: Record<string, string> = {
  Deployment: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      # agnhost is Kubernetes' own test server: netexec answers HTTP on the port given, /healthz included.
      - name: api
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["netexec", "--http-port=9000"]
        ports:
        - name: http
          containerPort: 9000
        readinessProbe:
          httpGet:
            path: /healthz
            port: http
          periodSeconds: 5
`,
  'Service (ClusterIP)': `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
  - name: http
    port: 80
    targetPort: http
`,
  'Service (NodePort)': `apiVersion: v1
kind: Service
metadata:
  name: web-nodeport
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`,
  'Service (LoadBalancer, Local)': `apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`,
  'Service (headless)': `apiVersion: v1
kind: Service
metadata:
  name: web-headless
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 8080
`,
  'Service (ExternalName)': `apiVersion: v1
kind: Service
metadata:
  name: search
spec:
  type: ExternalName
  externalName: search.example.com
`,
}
