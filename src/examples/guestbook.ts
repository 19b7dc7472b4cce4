import type { Example } from './example'

/**
 * A guestbook in namespace `guestbook`: a PHP frontend (the image of Kubernetes' guestbook tutorial, listening on 80)
 * that writes to a Redis leader and reads from two Redis followers replicating it. The frontend's image connects to
 * the Services named `redis-leader` and `redis-follower`; GET_HOSTS_FROM=dns makes it look them up by name through
 * CoreDNS, `env` would make it read REDIS_LEADER_SERVICE_HOST, which the kubelet sets only for Services that existed
 * when the pod started. The follower's Service gives no targetPort (it defaults to the port); the frontend's Service
 * is a NodePort.
 */
const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: guestbook
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-leader
  namespace: guestbook
  labels:
    app: redis
    role: leader
spec:
  replicas: 1
  selector:
    matchLabels:
      app: redis
      role: leader
  template:
    metadata:
      labels:
        app: redis
        role: leader
    spec:
      containers:
      - name: leader
        image: redis:7.2
        ports:
        - containerPort: 6379
        readinessProbe:
          tcpSocket:
            port: 6379
          initialDelaySeconds: 3
          periodSeconds: 5
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
---
apiVersion: v1
kind: Service
metadata:
  name: redis-leader
  namespace: guestbook
spec:
  selector:
    app: redis
    role: leader
  ports:
  - port: 6379
    targetPort: 6379
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-follower
  namespace: guestbook
  labels:
    app: redis
    role: follower
spec:
  replicas: 2
  selector:
    matchLabels:
      app: redis
      role: follower
  template:
    metadata:
      labels:
        app: redis
        role: follower
    spec:
      containers:
      # The image's entrypoint runs redis-server with these flags: copy everything the leader holds.
      - name: follower
        image: redis:7.2
        args: ["--replicaof", "redis-leader", "6379"]
        ports:
        - containerPort: 6379
        readinessProbe:
          tcpSocket:
            port: 6379
          initialDelaySeconds: 3
          periodSeconds: 5
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
---
apiVersion: v1
kind: Service
metadata:
  name: redis-follower
  namespace: guestbook
spec:
  selector:
    app: redis
    role: follower
  ports:
  # No targetPort: it defaults to the port, 6379.
  - port: 6379
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  namespace: guestbook
  labels:
    app: guestbook
spec:
  replicas: 3
  selector:
    matchLabels:
      app: guestbook
      tier: frontend
  template:
    metadata:
      labels:
        app: guestbook
        tier: frontend
    spec:
      containers:
      - name: php-redis
        image: us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5
        env:
        # "dns": find redis-leader and redis-follower by name; "env": read REDIS_LEADER_SERVICE_HOST instead.
        - name: GET_HOSTS_FROM
          value: dns
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet:
            path: /
            port: 80
          initialDelaySeconds: 5
          periodSeconds: 5
        resources:
          requests:
            cpu: 100m
            memory: 100Mi
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  namespace: guestbook
spec:
  type: NodePort
  selector:
    app: guestbook
    tier: frontend
  ports:
  # No targetPort here either: the pods listen on 80 too.
  - port: 80
`

export const GUESTBOOK: Example = {
  id: 'guestbook',
  title: 'Guestbook (frontend and Redis)',
  namespace: 'guestbook',
  summary:
    'A PHP frontend on a NodePort writing to a Redis leader and reading from two followers. GET_HOSTS_FROM=dns makes it find them by name; a Service without targetPort sends to the same port on the pods.',
  manifest,
}
