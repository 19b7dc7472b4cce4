import { describe, expect, it } from 'vitest'
import { unseenLines } from './followedLines'

describe('what a followed command prints again', () => {
  it('prints the lines it has not printed, once', () => {
    const printed = new Set<string>()
    expect(unseenLines('NAME   READY\nweb-1  0/1\n', printed)).toBe('NAME   READY\nweb-1  0/1\n')
    expect(unseenLines('NAME   READY\nweb-1  1/1\nweb-2  0/1\n', printed)).toBe('web-1  1/1\nweb-2  0/1\n')
    expect(unseenLines('NAME   READY\nweb-1  1/1\nweb-2  0/1\n', printed)).toBe('')
  })

  it('does not print a row again only because its age grew, as kubectl get -w does not', () => {
    const printed = new Set<string>()
    unseenLines('client   1/1   Running   0   59s   10.244.1.2\n', printed)
    expect(unseenLines('client   1/1   Running   0   1m2s   10.244.1.2\n', printed)).toBe('')
    expect(unseenLines('client   1/1   Terminating   0   1m3s   10.244.1.2\n', printed)).toBe('client   1/1   Terminating   0   1m3s   10.244.1.2\n')
    // A wider row realigns the columns of the table printed afresh: the rows that only moved are not new.
    expect(unseenLines('client   1/1   Terminating         0   1m4s   10.244.1.2\nweb-2    0/1   ContainerCreating   0   0s     <none>\n', printed)).toBe('web-2    0/1   ContainerCreating   0   0s     <none>\n')
    // Names and addresses that end in a digit and a letter are not ages.
    expect(unseenLines('web-10s   1/1\n', printed)).toBe('web-10s   1/1\n')
    expect(unseenLines('web-11s   1/1\n', printed)).toBe('web-11s   1/1\n')
  })
})
