/** A binary min-heap ordered by `less`; used for the virtual-time timer queue. */
export class MinHeap<T> {
  private items: T[] = []
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length
  }

  /** The items, in no particular order. */
  toArray(): T[] {
    return [...this.items]
  }

  /** Replaces the content with `items` (heapified). */
  reset(items: readonly T[]): void {
    this.items = []
    for (const item of items) this.push(item)
  }

  peek(): T | undefined {
    return this.items[0]
  }

  push(item: T): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(items[i]!, items[parent]!)) break
      ;[items[i], items[parent]] = [items[parent]!, items[i]!]
      i = parent
    }
  }

  pop(): T | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length > 0 && last !== undefined) {
      items[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < items.length && this.less(items[l]!, items[m]!)) m = l
        if (r < items.length && this.less(items[r]!, items[m]!)) m = r
        if (m === i) break
        ;[items[i], items[m]] = [items[m]!, items[i]!]
        i = m
      }
    }
    return top
  }
}
