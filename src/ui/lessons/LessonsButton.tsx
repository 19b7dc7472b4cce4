import { useEffect, useRef, useState } from 'react'
import type { Lesson } from '../../lessons'
import { LessonList } from './LessonList'

/** "Lessons": the list of lessons in a dialog; starting one replaces the cluster with the lesson's own. */
export function LessonsButton({ onStart }: { onStart: (lesson: Lesson) => void }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal()
  }, [open])
  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  return (
    <>
      <button type="button" ref={button} onClick={() => setOpen(true)} aria-haspopup="dialog">
        Lessons
      </button>
      {open ? (
        <dialog
          ref={dialog}
          className="examples-dialog"
          aria-labelledby="lessons-title"
          onCancel={(e) => {
            e.preventDefault()
            close()
          }}
        >
          <div className="row examples-bar">
            <h2 id="lessons-title">Lessons</h2>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
          <p className="hint">A lesson starts on a cluster of its own; the cluster you are exploring stays saved and comes back when you leave the lesson.</p>
          <LessonList
            onStart={(l) => {
              setOpen(false)
              onStart(l)
            }}
          />
        </dialog>
      ) : null}
    </>
  )
}
