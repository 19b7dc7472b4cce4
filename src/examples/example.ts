/** An application the user can load into the cluster from the app, and the tests run. */
export interface Example {
  readonly id: string
  readonly title: string
  /** The namespace it creates and lives in (so it never collides with what already runs). */
  readonly namespace: string
  /** One or two sentences: what it is made of and what it shows. */
  readonly summary: string
  /** Multi-document YAML, as `kubectl apply -f` takes it. Works as written on a real cluster. */
  readonly manifest: string
}
