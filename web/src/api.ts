// The page's one connection to the gateway: the dashboard stream, read with fetch() so an
// admin key can go in the Authorization header, reconnecting after errors. A 401 or 403
// stops it until the user gives a key (kept in localStorage).
import { SseParser } from './sse';
import type { Snapshot } from './types';

const KEY_STORAGE = 'autoglm.adminKey';

/** The gateway's context path, from the page's own path (".../ui/" or ".../ui"). */
export function contextPath(pathname: string): string {
  const at = pathname.lastIndexOf('/ui/');
  if (at >= 0) return pathname.slice(0, at);
  return pathname.endsWith('/ui') ? pathname.slice(0, -3) : '';
}

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'offline'; message: string; retryInS: number }
  | { kind: 'auth'; message: string };

export function storedKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

export function storeKey(key: string): void {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    /* private mode: the key lasts for this page only */
  }
}

function headers(): HeadersInit {
  const key = storedKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** The gateway's own error message from an OpenAI-style body, else the status line. */
async function errorText(res: Response): Promise<string> {
  try {
    const body = await res.json();
    if (body?.error?.message) return `${res.status}: ${body.error.message}`;
  } catch {
    /* not JSON */
  }
  return `${res.status} ${res.statusText}`;
}

export class DashboardStream {
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;

  constructor(
    private readonly base: string,
    private readonly onSnapshot: (s: Snapshot) => void,
    private readonly onState: (s: ConnectionState) => void,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.stop();
    this.abort = new AbortController();
    void this.run(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    this.onState({ kind: 'connecting' });
    const parser = new SseParser();
    try {
      const res = await fetch(`${this.base}/admin/v1/dashboard/stream?interval_ms=${this.intervalMs}`, {
        headers: headers(),
        signal,
        cache: 'no-store',
      });
      if (res.status === 401 || res.status === 403) {
        this.onState({ kind: 'auth', message: await errorText(res) });
        return;
      }
      if (!res.ok || !res.body) throw new Error(await errorText(res));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.feed(value)) {
          if (event.event !== 'snapshot') continue;
          this.failures = 0;
          this.onState({ kind: 'live' });
          this.onSnapshot(JSON.parse(event.data) as Snapshot);
        }
      }
      throw new Error('the gateway closed the stream');
    } catch (e) {
      if (signal.aborted) return;
      this.failures++;
      const delay = Math.min(30_000, (parser.retryMs ?? 2000) * Math.min(this.failures, 8));
      const message = e instanceof Error ? e.message : String(e);
      this.onState({ kind: 'offline', message, retryInS: Math.round(delay / 1000) });
      this.timer = setTimeout(() => this.start(), delay);
    }
  }
}
