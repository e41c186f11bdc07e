import { ClientRequest, IncomingMessage, request } from 'node:http';

export interface SseEvent {
  id?: string;
  type: string;
  data: string;
}

/**
 * A minimal EventSource for tests and the benchmark: Node's http, bearer token and Last-Event-ID headers, events
 * parsed as they arrive (the browser EventSource cannot send an Authorization header).
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  status?: number;
  closed = false;
  private req?: ClientRequest;
  private res?: IncomingMessage;
  private buffer = '';
  private listeners: (() => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly lastEventId?: string,
    private readonly onEvent?: (event: SseEvent) => void,
  ) {}

  /** Resolves once the response headers are in (with the status). */
  open(): Promise<this> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' };
      if (this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
      this.req = request(this.url, { headers, agent: false }, (res) => {
        this.res = res;
        this.status = res.statusCode;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.feed(chunk));
        res.on('close', () => {
          this.closed = true;
          this.notify();
        });
        resolve(this);
      });
      this.req.on('error', (error) => (this.res ? undefined : reject(error)));
      this.req.end();
    });
  }

  close(): void {
    this.req?.destroy();
    this.res?.destroy();
  }

  get lastId(): string | undefined {
    return this.events.at(-1)?.id;
  }

  /** Waits until `count` events have arrived. */
  async waitForCount(count: number, timeoutMs = 30_000): Promise<SseEvent[]> {
    await this.until(() => this.events.length >= count, timeoutMs, `${count} events (have ${this.events.length})`);
    return this.events;
  }

  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`SSE: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { type: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.type = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0) continue;
      event.data = data.join('\n');
      this.events.push(event);
      this.onEvent?.(event);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
