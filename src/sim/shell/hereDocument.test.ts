import { describe, expect, it } from 'vitest'
import { endsHereDocument, openedHereDocument, splitLine } from './words'

describe('a line that opens a here-document', () => {
  it('is found in each way sh writes one', () => {
    expect(openedHereDocument('kubectl apply -f - <<EOF')).toEqual({ delimiter: 'EOF', stripTabs: false })
    expect(openedHereDocument("kubectl apply -f - << 'END'")).toEqual({ delimiter: 'END', stripTabs: false })
    expect(openedHereDocument('cat <<"YAML" | kubectl apply -f -')).toEqual({ delimiter: 'YAML', stripTabs: false })
    expect(openedHereDocument('cat <<-EOF')).toEqual({ delimiter: 'EOF', stripTabs: true })
  })

  it('is not one when << is quoted, a here-string or a comment, or names no word', () => {
    expect(openedHereDocument('echo "a <<EOF"')).toBeUndefined()
    expect(openedHereDocument("echo 'a <<EOF'")).toBeUndefined()
    expect(openedHereDocument('cat <<< word')).toBeUndefined()
    expect(openedHereDocument('kubectl get pods # <<EOF')).toBeUndefined()
    expect(openedHereDocument('cat <<')).toBeUndefined()
    expect(openedHereDocument('kubectl get pods')).toBeUndefined()
  })

  it('feeds a here-string to the command as one line', () => {
    expect(splitLine('cat <<< word')).toEqual({ ok: true, line: { stages: [['cat']], hereString: 'word' } })
  })

  it('ends at its delimiter alone on a line, leading tabs dropped for <<-', () => {
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, 'EOF')).toBe(true)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, ' EOF')).toBe(false)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, '\tEOF')).toBe(false)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: true }, '\t\tEOF')).toBe(true)
  })
})
