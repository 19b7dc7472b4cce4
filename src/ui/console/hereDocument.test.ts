import { describe, expect, it } from 'vitest'
import { endsHereDocument, hereDocumentOf } from './hereDocument'

describe('a line that opens a here-document', () => {
  it('is found in each way sh writes one', () => {
    expect(hereDocumentOf('kubectl apply -f - <<EOF')).toEqual({ delimiter: 'EOF', stripTabs: false })
    expect(hereDocumentOf("kubectl apply -f - << 'END'")).toEqual({ delimiter: 'END', stripTabs: false })
    expect(hereDocumentOf('cat <<"YAML" | kubectl apply -f -')).toEqual({ delimiter: 'YAML', stripTabs: false })
    expect(hereDocumentOf('cat <<-EOF')).toEqual({ delimiter: 'EOF', stripTabs: true })
  })

  it('is not one when << is quoted, a here-string or a comment, or names no word', () => {
    expect(hereDocumentOf('echo "a <<EOF"')).toBeUndefined()
    expect(hereDocumentOf("echo 'a <<EOF'")).toBeUndefined()
    expect(hereDocumentOf('cat <<< word')).toBeUndefined()
    expect(hereDocumentOf('kubectl get pods # <<EOF')).toBeUndefined()
    expect(hereDocumentOf('cat <<')).toBeUndefined()
    expect(hereDocumentOf('kubectl get pods')).toBeUndefined()
  })

  it('ends at its delimiter alone on a line, leading tabs dropped for <<-', () => {
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, 'EOF')).toBe(true)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, ' EOF')).toBe(false)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: false }, '\tEOF')).toBe(false)
    expect(endsHereDocument({ delimiter: 'EOF', stripTabs: true }, '\t\tEOF')).toBe(true)
  })
})
