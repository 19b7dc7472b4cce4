import { describe, type Token } from './nftScanner'

/**
 * nft's command language, parsed far enough to check a file (`nft -c -f`): the commands and blocks kube-proxy's
 * transactions and nft's own listings are made of, with what each refers to (tables, chains, sets) and where.
 * Statements are recognised by the forms kube-proxy writes; anything else is a syntax error at the token bison
 * would stop at for these forms.
 */

export interface TableRef {
  readonly family: string
  readonly name: Token
}

export interface ElementRef {
  readonly key: string
  readonly span: { readonly line: number; readonly col: number; readonly end: number }
  readonly value?: string
  readonly target?: Token
}

export type Command =
  | { readonly kind: 'add-table' | 'flush-table' | 'delete-table'; readonly t: TableRef }
  | { readonly kind: 'flush-ruleset' }
  | { readonly kind: 'add-chain' | 'flush-chain' | 'delete-chain'; readonly t: TableRef; readonly chain: Token }
  | { readonly kind: 'add-rule'; readonly t: TableRef; readonly chain: Token; readonly setRefs: readonly Token[]; readonly targets: readonly Token[] }
  | { readonly kind: 'add-set' | 'flush-set' | 'delete-set'; readonly t: TableRef; readonly set: Token; readonly type: 'set' | 'map' }
  | { readonly kind: 'element'; readonly verb: 'add' | 'delete'; readonly t: TableRef; readonly set: Token; readonly elements: readonly ElementRef[] }

/** A syntax error: bison's "unexpected X[, expecting Y]" at a token. */
export interface SyntaxIssue {
  readonly at: Token
  readonly message: string
}

class Stop {
  constructor(
    readonly at: Token,
    readonly expecting?: string,
  ) {}
}

const issue = (e: Stop): SyntaxIssue => ({ at: e.at, message: `syntax error, unexpected ${describe(e.at)}${e.expecting ? `, expecting ${e.expecting}` : ''}` })

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'])
const END = 'end of file or newline or semicolon'
const VERDICTS = new Set(['accept', 'drop', 'reject', 'return', 'continue'])

/** Parses a whole input: its commands, and the syntax errors (each skips the rest of its line, as nft recovers). */
export function parseNft(tokens: readonly Token[]): { commands: Command[]; errors: SyntaxIssue[] } {
  const p = new Parser(tokens)
  p.file()
  return { commands: p.commands, errors: p.errors }
}

class Parser {
  readonly commands: Command[] = []
  readonly errors: SyntaxIssue[] = []
  private i = 0
  /** Inside a table block, chains and sets are declared before any rule or element refers to them (nft's cmd_expand). */
  private deferred: Command[] | undefined

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!
  }
  private next(): Token {
    const t = this.peek()
    if (this.i < this.tokens.length - 1) this.i++
    return t
  }
  private is(text: string, k = 0): boolean {
    const t = this.peek(k)
    return (t.kind === 'word' || t.kind === 'punct') && t.text === text
  }
  private accept(text: string): boolean {
    if (!this.is(text)) return false
    this.next()
    return true
  }
  private expect(text: string, expecting = `'${text}'`): Token {
    if (!this.is(text)) throw new Stop(this.peek(), expecting)
    return this.next()
  }
  private atEnd(): boolean {
    const t = this.peek()
    return t.kind === 'newline' || t.kind === 'eof' || this.is(';') || this.is('}')
  }
  /** A name: any word nft's scanner does not make a keyword. */
  private name(): Token {
    const t = this.peek()
    if ((t.kind === 'word' && describe(t) === 'string') || t.kind === 'quoted') return this.next()
    throw new Stop(t, 'string')
  }
  private emit(c: Command): void {
    const late = c.kind === 'add-rule' || c.kind === 'element'
    if (this.deferred && late) this.deferred.push(c)
    else this.commands.push(c)
  }
  private skipLine(): void {
    while (this.peek().kind !== 'newline' && this.peek().kind !== 'eof') this.next()
  }
  private guard(body: () => void): void {
    try {
      body()
    } catch (e) {
      if (!(e instanceof Stop)) throw e
      this.errors.push(issue(e))
      this.skipLine()
    }
  }

  file(): void {
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'newline' || this.accept(';')) {
        if (this.peek().kind === 'newline') this.next()
        continue
      }
      this.guard(() => {
        this.command()
        if (!this.atEnd() || this.is('}')) throw new Stop(this.peek(), END)
      })
    }
  }

  private tableRef(): TableRef {
    const family = this.peek().kind === 'word' && FAMILIES.has(this.peek().text) ? this.next().text : 'ip'
    return { family, name: this.name() }
  }

  private command(): void {
    const t = this.peek()
    if (t.kind !== 'word') throw new Stop(t)
    const verb = t.text
    if (verb === 'add' || verb === 'create' || verb === 'insert' || verb === 'replace') {
      this.next()
      return this.add()
    }
    if (verb === 'delete' || verb === 'destroy' || verb === 'flush') {
      this.next()
      return this.removal(verb === 'flush' ? 'flush' : 'delete')
    }
    if (verb === 'list') {
      this.next()
      while (!this.atEnd()) this.next()
      return
    }
    // `table ip t { ... }` and friends without a verb mean add; a bare name starts `TABLE CHAIN RULE` (add rule).
    this.add()
  }

  private add(): void {
    const t = this.peek()
    if (t.kind === 'word' && describe(t) === 'string') return this.rule({ family: 'ip', name: this.next() })
    const object = this.next()
    switch (object.kind === 'word' ? object.text : '') {
      case 'table': {
        const ref = this.tableRef()
        this.emit({ kind: 'add-table', t: ref })
        if (this.accept('{')) this.tableBlock(ref)
        return
      }
      case 'chain': {
        const ref = this.tableRef()
        const chain = this.name()
        this.emit({ kind: 'add-chain', t: ref, chain })
        if (this.accept('{')) this.chainBlock(ref, chain)
        return
      }
      case 'rule':
        return this.rule(this.tableRef())
      case 'set':
      case 'map': {
        const ref = this.tableRef()
        const set = this.name()
        this.expect('{')
        this.setBlock(ref, set, object.text as 'set' | 'map')
        return
      }
      case 'element': {
        const ref = this.tableRef()
        const set = this.name()
        this.expect('{')
        this.emit({ kind: 'element', verb: 'add', t: ref, set, elements: this.elements() })
        return
      }
      default:
        throw new Stop(object)
    }
  }

  private removal(verb: 'flush' | 'delete'): void {
    const object = this.next()
    switch (object.kind === 'word' ? object.text : '') {
      case 'ruleset':
        if (verb === 'delete') throw new Stop(object)
        this.commands.push({ kind: 'flush-ruleset' })
        return
      case 'table':
        this.emit({ kind: verb === 'flush' ? 'flush-table' : 'delete-table', t: this.tableRef() })
        return
      case 'chain': {
        const ref = this.tableRef()
        this.emit({ kind: verb === 'flush' ? 'flush-chain' : 'delete-chain', t: ref, chain: this.name() })
        return
      }
      case 'set':
      case 'map': {
        const ref = this.tableRef()
        this.emit({ kind: verb === 'flush' ? 'flush-set' : 'delete-set', t: ref, set: this.name(), type: object.text as 'set' | 'map' })
        return
      }
      case 'element': {
        if (verb === 'flush') throw new Stop(object)
        const ref = this.tableRef()
        const set = this.name()
        this.expect('{')
        this.emit({ kind: 'element', verb: 'delete', t: ref, set, elements: this.elements() })
        return
      }
      default:
        throw new Stop(object)
    }
  }

  /** `table ip t { comment "..." ; set s { ... } chain c { ... } }`: declarations first, then what refers to them. */
  private tableBlock(ref: TableRef): void {
    const outer = this.deferred
    this.deferred = []
    this.items(() => {
      const t = this.next()
      if (t.text === 'comment' && this.peek().kind === 'quoted') this.next()
      else if (t.text === 'flags') this.list(true)
      else if (t.text === 'chain') {
        const chain = this.name()
        this.emit({ kind: 'add-chain', t: ref, chain })
        this.expect('{')
        this.chainBlock(ref, chain)
      } else if (t.text === 'set' || t.text === 'map') {
        const set = this.name()
        this.expect('{')
        this.setBlock(ref, set, t.text)
      } else throw new Stop(t)
    })
    const late = this.deferred
    this.deferred = outer
    for (const c of late) this.emit(c)
  }

  /**
   * Items of a block up to its `}`, one per line or `;`. A syntax error skips the rest of its line: a block opened on
   * that line is abandoned with it (its `}` went too), one spanning lines goes on with the next.
   */
  private items(item: () => void): void {
    const opened = this.tokens[this.i - 1]?.line
    for (;;) {
      while (this.peek().kind === 'newline' || this.is(';')) this.next()
      if (this.accept('}')) return
      if (this.peek().kind === 'eof') throw new Stop(this.peek(), "'}'")
      try {
        item()
        if (!this.atEnd()) throw new Stop(this.peek(), END)
      } catch (e) {
        if (!(e instanceof Stop) || e.at.line === opened) throw e
        this.errors.push(issue(e))
        this.skipLine()
      }
    }
  }

  private chainBlock(ref: TableRef, chain: Token): void {
    this.items(() => {
      if (this.accept('type')) {
        this.name()
        this.expect('hook', 'hook')
        this.name()
        if (this.accept('device')) this.next()
        this.expect('priority', 'priority')
        this.priority()
        this.accept(';')
        if (this.accept('policy')) this.word()
      } else if (this.accept('policy')) this.word()
      else if (this.is('comment') && this.peek(1).kind === 'quoted') {
        this.next()
        this.next()
      } else this.statements(ref, chain)
    })
  }

  /** `-110`, `dstnat`, `dstnat - 10`. */
  private priority(): void {
    if (this.accept('-') || this.peek().kind === 'number') {
      if (this.peek().kind !== 'number') throw new Stop(this.peek())
      this.next()
      return
    }
    this.name()
    if (this.accept('-') || this.accept('+')) {
      if (this.peek().kind !== 'number') throw new Stop(this.peek())
      this.next()
    }
  }

  private setBlock(ref: TableRef, set: Token, type: 'set' | 'map'): void {
    this.emit({ kind: 'add-set', t: ref, set, type })
    this.items(() => {
      const t = this.next()
      switch (t.text) {
        case 'type':
          this.name()
          while (this.accept('.')) this.name()
          if (this.accept(':')) this.next()
          return
        case 'typeof':
          while (!this.atEnd()) this.next()
          return
        case 'flags':
          return this.list(true)
        case 'timeout':
        case 'gc-interval':
        case 'size':
        case 'policy':
          this.next()
          return
        case 'auto-merge':
          return
        case 'comment':
          if (this.peek().kind !== 'quoted') throw new Stop(this.peek())
          this.next()
          return
        case 'elements':
          this.expect('=')
          this.expect('{')
          this.emit({ kind: 'element', verb: 'add', t: ref, set, elements: this.elements() })
          return
        default:
          throw new Stop(t)
      }
    })
  }

  /** `new,established`, or flags (`dynamic,timeout`: keywords among them). */
  private list(anyWord = false): void {
    const one = () => (anyWord ? this.word() : this.name())
    one()
    while (this.accept(',')) one()
  }

  private word(): Token {
    if (this.peek().kind !== 'word') throw new Stop(this.peek(), 'string')
    return this.next()
  }

  /** `{ KEY [comment "x"] [: VERDICT], ... }` after its `{`; the lines nft wraps long lists on are spaces here. */
  private elements(): ElementRef[] {
    const out: ElementRef[] = []
    const skipNewlines = () => {
      while (this.peek().kind === 'newline') this.next()
    }
    for (;;) {
      skipNewlines()
      const first = this.peek()
      if (first.kind !== 'word' && first.kind !== 'number') throw new Stop(first)
      const parts = [this.next().text]
      let last = first
      while (this.accept('.')) {
        const t = this.peek()
        if (t.kind !== 'word' && t.kind !== 'number') throw new Stop(t)
        parts.push(this.next().text)
        last = t
      }
      if (this.is('comment')) {
        this.next()
        if (this.peek().kind !== 'quoted') throw new Stop(this.peek())
        this.next()
      }
      while (this.is('timeout') || this.is('expires')) {
        this.next()
        this.next()
      }
      const element: ElementRef = { key: parts.join(' . '), span: { line: first.line, col: first.col, end: last.end } }
      if (this.accept(':')) {
        const { value, target } = this.verdict()
        out.push({ ...element, value, ...(target ? { target } : {}) })
      } else out.push(element)
      skipNewlines()
      if (this.accept('}')) return out
      this.expect(',', "',' or '}'")
    }
  }

  private verdict(): { value: string; target?: Token } {
    const t = this.peek()
    if (t.kind === 'word' && (t.text === 'goto' || t.text === 'jump')) {
      this.next()
      const target = this.peek()
      if (target.kind !== 'word' || describe(target) !== 'string') throw new Stop(target, "'{'")
      this.next()
      return { value: `${t.text} ${target.text}`, target }
    }
    if (t.kind === 'word' && VERDICTS.has(t.text)) return { value: this.next().text }
    throw new Stop(t)
  }

  private rule(ref: TableRef): void {
    const chain = this.name()
    if (this.accept('index') || this.accept('handle') || this.accept('position')) {
      if (this.peek().kind !== 'number') throw new Stop(this.peek())
      this.next()
    }
    this.statements(ref, chain)
  }

  /** A rule's statements up to the end of its line, the references it makes collected. */
  private statements(ref: TableRef, chain: Token): void {
    const setRefs: Token[] = []
    const targets: Token[] = []
    if (this.atEnd()) throw new Stop(this.peek())
    while (!this.atEnd()) {
      if (this.is('comment') && this.peek(1).kind === 'quoted') {
        this.next()
        this.next()
        break
      }
      this.statement(setRefs, targets)
    }
    this.emit({ kind: 'add-rule', t: ref, chain, setRefs, targets })
  }

  /** The value after a field: `!=`/`==`, then an address, a number, `@set` or `{ ... }`. */
  private rhs(setRefs: Token[]): void {
    if (!this.accept('!=')) this.accept('==')
    const t = this.peek()
    if (t.kind === 'setref') setRefs.push(this.next())
    else if (this.accept('{')) this.anonymousSet()
    else if (t.kind === 'word' || t.kind === 'number') this.next()
    else throw new Stop(t)
  }

  private anonymousSet(): void {
    for (;;) {
      const t = this.next()
      if (t.kind !== 'word' && t.kind !== 'number') throw new Stop(t)
      if (this.accept('}')) return
      this.expect(',', "',' or '}'")
    }
  }

  /** `ip daddr`, `meta l4proto`, `th dport`, `tcp dport`: one field of a selector. */
  private selector(): void {
    const t = this.next()
    const fields: Record<string, string[]> = { ip: ['saddr', 'daddr'], meta: ['l4proto', 'mark'], th: ['dport', 'sport'], tcp: ['dport', 'sport'], udp: ['dport', 'sport'], sctp: ['dport', 'sport'] }
    const allowed = fields[t.text]
    if (!allowed) throw new Stop(t)
    const f = this.peek()
    if (!allowed.includes(f.text)) throw new Stop(f)
    this.next()
  }

  private statement(setRefs: Token[], targets: Token[]): void {
    const t = this.peek()
    switch (t.kind === 'word' ? t.text : '') {
      case 'ct':
        this.next()
        this.expect('state', 'state')
        this.list()
        return
      case 'ip':
      case 'th':
      case 'tcp':
      case 'udp':
      case 'sctp':
      case 'meta': {
        if (t.text === 'meta' && this.is('mark', 1)) return this.mark(true)
        this.selector()
        if (t.text === 'meta' && this.peek().kind === 'word' && /^(tcp|udp|sctp|\d+)$/.test(this.peek().text) && !this.is('.', 1)) {
          this.next()
          return
        }
        if (this.is('.')) {
          while (this.accept('.')) this.selector()
          this.expect('vmap', 'vmap')
          if (this.peek().kind === 'setref') setRefs.push(this.next())
          else {
            this.expect('{')
            for (const e of this.elements()) if (e.target) targets.push(e.target)
          }
          return
        }
        return this.rhs(setRefs)
      }
      case 'mark':
        return this.mark(false)
      case 'fib':
        this.next()
        if (!this.is('saddr') && !this.is('daddr')) throw new Stop(this.peek())
        this.next()
        this.expect('type', 'type')
        this.name()
        return
      case 'numgen':
        this.next()
        this.expect('random', 'random')
        this.expect('mod', 'mod')
        if (this.peek().kind !== 'number') throw new Stop(this.peek())
        this.next()
        this.expect('vmap', 'vmap')
        this.expect('{')
        for (const e of this.elements()) if (e.target) targets.push(e.target)
        return
      case 'update': {
        this.next()
        if (this.peek().kind !== 'setref') throw new Stop(this.peek())
        setRefs.push(this.next())
        this.expect('{')
        this.selector()
        this.expect('}')
        return
      }
      case 'jump':
      case 'goto': {
        const { target } = this.verdict()
        if (target) targets.push(target)
        return
      }
      case 'accept':
      case 'drop':
      case 'reject':
      case 'return':
      case 'continue':
        this.next()
        return
      case 'masquerade':
        this.next()
        if (this.accept('fully-random') || this.accept('random') || this.accept('persistent')) while (this.accept(',')) this.next()
        return
      case 'dnat':
      case 'snat':
        this.next()
        this.accept('ip')
        this.expect('to', 'to')
        this.next()
        if (this.accept(':')) this.next()
        return
      case 'counter':
        this.next()
        if (this.accept('packets')) {
          this.next()
          this.expect('bytes', 'bytes')
          this.next()
        }
        return
      default:
        // A word that starts no statement is taken as the start of one, and the token after it is the unexpected one.
        if (t.kind === 'word' && describe(t) === 'string') {
          this.next()
          throw new Stop(this.peek())
        }
        throw new Stop(t)
    }
  }

  /** `mark set mark or 0x4000`, `mark and 0x4000 == 0`, and nft's own `meta mark set meta mark | 0x00004000`. */
  private mark(meta: boolean): void {
    if (meta) this.next()
    this.next()
    if (this.accept('set')) {
      if (this.accept('meta')) this.expect('mark', 'mark')
      else this.expect('mark', 'mark')
      if (!(this.accept('or') || this.accept('xor') || this.accept('|') || this.accept('^'))) throw new Stop(this.peek())
    } else {
      if (!(this.accept('and') || this.accept('&'))) throw new Stop(this.peek())
      if (this.peek().kind !== 'number') throw new Stop(this.peek())
      this.next()
      if (!this.accept('==')) this.accept('!=')
    }
    if (this.peek().kind !== 'number') throw new Stop(this.peek())
    this.next()
  }
}
