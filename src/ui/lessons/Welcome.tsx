import type { Lesson } from '../../lessons'
import { LessonList } from './LessonList'

/** The first screen: where to start (a lesson, or the free Explore mode), within seconds. */
export function Welcome({ onLesson, onExplore, hasSave, notice }: { onLesson: (l: Lesson) => void; onExplore: () => void; hasSave: boolean; notice?: string | undefined }) {
  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Service Discovery Simulator</h1>
      <p className="welcome-lead">How does a Pod find a Service in Kubernetes? Watch a simulated cluster do it, step by step: the API server, etcd, the EndpointSlice controller, CoreDNS, kube-proxy and the packets themselves.</p>
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
      <section aria-labelledby="welcome-lessons">
        <h2 id="welcome-lessons">Start with a lesson</h2>
        <LessonList onStart={onLesson} />
      </section>
      <section className="welcome-explore" aria-labelledby="welcome-explore">
        <h2 id="welcome-explore">Or explore on your own</h2>
        <p className="hint">A cluster with a Deployment web, its Service and a client Pod: scale it, send requests, apply YAML.{hasSave ? ' Your saved cluster opens where you left it.' : ''}</p>
        <button type="button" className="primary" onClick={onExplore}>
          Explore
        </button>
      </section>
    </main>
  )
}
