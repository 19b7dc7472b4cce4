import { LESSONS, type Lesson } from '../../lessons'

/** The lessons, each started by a button named after its title. */
export function LessonList({ onStart }: { onStart: (lesson: Lesson) => void }) {
  return (
    <ol className="lesson-list">
      {LESSONS.map((l, i) => (
        <li key={l.id}>
          <button type="button" onClick={() => onStart(l)} aria-describedby={`lesson-summary-${l.id}`}>
            {l.title}
          </button>
          <span id={`lesson-summary-${l.id}`} className="hint">
            {i + 1}. {l.summary} ({l.steps.length} steps)
          </span>
        </li>
      ))}
    </ol>
  )
}
