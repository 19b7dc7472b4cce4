import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { LessonStore } from '../../store/lessonStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useStoreApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'

const selectState = (s: SimulationStore) => s.state

/** Text with `code` in backticks, as the lessons write it. */
function Words({ text }: { text: string }) {
  return <>{text.split(/(`[^`]+`)/).map((part, i) => (part.startsWith('`') && part.endsWith('`') ? <code key={i}>{part.slice(1, -1)}</code> : part))}</>
}

/**
 * The lesson being followed: which step of how many, what happens and why, the tool output that shows it, and the
 * controls (Next step, Previous step, Do it for me, Restart lesson). On the tasks page, each task with its feedback.
 */
export function LessonPanel({ lesson: store, onRestart, onLeave }: { lesson: StoreApi<LessonStore>; onRestart: () => void; onLeave: () => void }) {
  // Re-read as the cluster changes, at most four times a second: a step's words, exhibit (a node's whole iptables-save
  // for some), condition and highlights are read from it, and while the clock plays the state changes every frame.
  useThrottledStore(useStoreApi(), selectState, 250)
  const { lesson, step, problem } = useStore(store)
  const api = store.getState()
  const ctx = api.context()
  const current = lesson.steps[step]
  const total = lesson.steps.length
  const done = api.isDone()
  const exhibit = current?.exhibit?.(ctx)
  return (
    <section className="lesson-panel" role="region" aria-label="Lesson" aria-describedby="lesson-progress">
      <div className="lesson-head">
        <span className="lesson-title">{lesson.title}</span>
        <span id="lesson-progress" className="lesson-progress">
          {current ? `Step ${step + 1} of ${total}` : `Your turn: ${lesson.tasks.length} task${lesson.tasks.length === 1 ? '' : 's'}`}
        </span>
      </div>
      {current ? (
        <h2 className="lesson-step-title" aria-live="polite">
          {current.title}
        </h2>
      ) : null}
      {/* The words and the tool output scroll; the title above and the controls below stay in view. */}
      <div className="lesson-body" tabIndex={-1}>
      {current ? (
        <>
          <div className="lesson-text">
            {current.narration(ctx).map((p, i) => (
              <p key={i}>
                <Words text={p} />
              </p>
            ))}
          </div>
          {exhibit ? (
            <figure className="lesson-exhibit">
              <figcaption>
                <code>{exhibit.title}</code>
              </figcaption>
              <pre tabIndex={0} aria-label={exhibit.title}>
                {exhibit.text}
              </pre>
            </figure>
          ) : null}
        </>
      ) : (
        <ol className="lesson-tasks">
          {lesson.tasks.map((t) => {
            const r = t.check(ctx)
            return (
              <li key={t.title} data-done={r?.ok ? 'true' : 'false'}>
                <strong>{t.title}</strong>
                <span className="hint">{t.hint}</span>
                <span aria-live="polite" className={r ? (r.ok ? 'lesson-done' : 'lesson-problem') : undefined}>
                  {r ? `${r.ok ? '✓ ' : ''}${r.feedback}` : 'Not done yet.'}
                </span>
              </li>
            )
          })}
        </ol>
      )}
      </div>
      {current ? (
        <>
          <p className="lesson-status" aria-live="polite">
            {done ? <span className="lesson-done">✓ Done: press Next step.</span> : current.hint ? <span>{current.hint}</span> : <span>Press “Do it for me”, or “Next event” to watch it happen.</span>}
          </p>
          {problem ? (
            <p className="lesson-problem" role="alert">
              {problem}
            </p>
          ) : null}
        </>
      ) : null}
      <div className="row lesson-controls">
        <button type="button" onClick={() => api.previous()} disabled={step === 0}>
          Previous step
        </button>
        {current ? (
          <button type="button" onClick={() => api.doIt()} disabled={done}>
            Do it for me
          </button>
        ) : null}
        <button type="button" className="primary" onClick={() => api.next()} disabled={!current}>
          Next step
        </button>
      </div>
      <div className="row lesson-controls">
        <button type="button" onClick={onRestart}>
          Restart lesson
        </button>
        <button type="button" onClick={onLeave}>
          Leave lesson
        </button>
      </div>
    </section>
  )
}
