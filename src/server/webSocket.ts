import type { Duplex } from 'node:stream'

/**
 * The server's side of RFC 6455 framing, as much as kubectl exec needs: binary messages out (unmasked), client
 * messages in (masked, possibly fragmented), ping answered, close answered and reported.
 */
export class WebSocketFrames {
  private buffer = Buffer.alloc(0)
  private fragments: Buffer[] = []
  private messageHandler: (data: Buffer) => void = () => {}
  private closeHandler: () => void = () => {}
  private closed = false

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('close', () => this.closeHandler())
    socket.on('error', () => this.closeHandler())
  }

  /** Called with each whole message the client sends. */
  onMessage(handler: (data: Buffer) => void): void {
    this.messageHandler = handler
  }

  /** Called once the client closes (or the connection drops). */
  onClose(handler: () => void): void {
    this.closeHandler = handler
  }

  /** Sends one binary message. */
  send(data: Buffer): void {
    if (!this.closed) this.socket.write(Buffer.concat([header(0x2, data.length), data]))
  }

  /** Sends a normal close and ends the connection. */
  close(): void {
    if (this.closed) return
    this.closed = true
    const code = Buffer.from([0x03, 0xe8])
    this.socket.end(Buffer.concat([header(0x8, code.length), code]))
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk])
    for (;;) {
      if (this.buffer.length < 2) return
      const b0 = this.buffer[0]!
      const b1 = this.buffer[1]!
      let length = b1 & 0x7f
      let offset = 2
      if (length === 126) {
        if (this.buffer.length < 4) return
        length = this.buffer.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (this.buffer.length < 10) return
        length = Number(this.buffer.readBigUInt64BE(2))
        offset = 10
      }
      const masked = (b1 & 0x80) !== 0
      const mask = masked ? this.buffer.subarray(offset, offset + 4) : undefined
      if (masked) offset += 4
      if (this.buffer.length < offset + length) return
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length))
      if (mask) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!
      this.buffer = this.buffer.subarray(offset + length)
      this.frame(b0 & 0x0f, (b0 & 0x80) !== 0, payload)
    }
  }

  private frame(opcode: number, fin: boolean, payload: Buffer): void {
    if (opcode === 0x8) {
      this.close()
      return
    }
    if (opcode === 0x9) {
      if (!this.closed) this.socket.write(Buffer.concat([header(0xa, payload.length), payload]))
      return
    }
    if (opcode !== 0x0 && opcode !== 0x1 && opcode !== 0x2) return
    this.fragments.push(payload)
    if (!fin) return
    const message = Buffer.concat(this.fragments)
    this.fragments = []
    this.messageHandler(message)
  }
}

/** A frame header: FIN set, the opcode, the payload length (server frames are not masked). */
function header(opcode: number, length: number): Buffer {
  if (length < 126) return Buffer.from([0x80 | opcode, length])
  if (length < 65536) {
    const h = Buffer.alloc(4)
    h[0] = 0x80 | opcode
    h[1] = 126
    h.writeUInt16BE(length, 2)
    return h
  }
  const h = Buffer.alloc(10)
  h[0] = 0x80 | opcode
  h[1] = 127
  h.writeBigUInt64BE(BigInt(length), 2)
  return h
}
