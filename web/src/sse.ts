// A server-sent events parser for text that arrives in arbitrary pieces. The page reads
// the dashboard stream with fetch() rather than EventSource because EventSource cannot send
// the Authorization header an admin key needs.

export interface SseEvent {
  event: string; // "message" when the stream names none
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  /** The server's reconnection delay (a "retry:" line), in milliseconds. */
  retryMs: number | undefined;

  /** Feeds the next piece of the stream; returns the events it completed. */
  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end < 0) break;
      const newline = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      // A lone '\r' at the very end may be the first half of "\r\n": wait for more.
      if (newline === 1 && this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + newline);
      const event = this.line(line);
      if (event) out.push(event);
    }
    return out;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const had = this.data.length > 0;
    const event: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) event.id = this.id;
    this.data = [];
    this.event = '';
    return had ? event : undefined;
  }
}
