import { useState } from 'react'
import { ListDialog } from '../controls/ListDialog'
import type { Lesson } from '../../lessons'
import { LessonList } from './LessonList'

/** "Lessons": the list of lessons in a dialog; starting one replaces the cluster with the lesson's own. */
export function LessonsButton({ onStart }: { onStart: (lesson: Lesson) => void }) {
  const [open, setOpen] = useState(false)
  const close = () => setOpen(false)
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Lessons
      </button>
      {open ? (
        <ListDialog id="lessons" title="Lessons" onClose={close}>
          <p className="hint">A lesson starts on a cluster of its own; the cluster you are exploring stays saved and comes back when you leave the lesson.</p>
          <LessonList
            onStart={(l) => {
              setOpen(false)
              onStart(l)
            }}
          />
        </ListDialog>
      ) : null}
    </>
  )
}
