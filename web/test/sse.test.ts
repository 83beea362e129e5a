import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/sse';

describe('SseParser', () => {
  it('reads events split at any point, with comments and retry', () => {
    const text = 'retry: 2000\n\n: keep-alive\n\nevent: snapshot\ndata: {"a":1}\n\nevent: snapshot\ndata: {"a":2}\n\n';
    const parser = new SseParser();
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.feed(text.slice(i, i + 3)));
    expect(events).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'snapshot', data: '{"a":2}' },
    ]);
    expect(parser.retryMs).toBe(2000);
  });

  it('joins data lines, keeps ids, defaults the event name and takes CRLF', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 7\r\ndata: one\r\ndata:two\r')).toEqual([]);
    expect(parser.feed('\n\r\n')).toEqual([{ event: 'message', data: 'one\ntwo', id: '7' }]);
  });

  it('does not emit an event before its blank line', () => {
    const parser = new SseParser();
    expect(parser.feed('event: snapshot\ndata: {}\n')).toEqual([]);
    expect(parser.feed('\n')).toHaveLength(1);
  });
});
