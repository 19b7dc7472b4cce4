/** One rule as kube-proxy writes it: the table, the chain it is appended to, and the whole `-A` line. */
export interface Rule {
  readonly table: 'filter' | 'nat'
  readonly chain: string
  readonly line: string
}

/** The two tables of one node, each as chain declarations and rules grouped by chain. */
export interface NodeTables {
  readonly filter: TableRules
  readonly nat: TableRules
}

export interface TableRules {
  /** Chain names in declaration order, built-in chains (with their policy) first. */
  readonly chains: readonly string[]
  /** chain -> its rules, in order. */
  readonly rules: ReadonlyMap<string, readonly Rule[]>
}
