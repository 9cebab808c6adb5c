/**
 * The network edges nax owns: a server bound to the loopback interface only
 * (the webhook answer callback), and the `fetch` outgoing requests use. Both
 * injected, so tests point them at servers they start on 127.0.0.1.
 */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

export function serveLoopback(
  port: number,
  handle: (request: Request) => Promise<Response> | Response,
): LoopbackServer {
  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: handle });
  return {
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      await server.stop(true);
    },
  };
}

/** The real fetch, with a time limit so a hanging endpoint never holds a run's end. */
export function timedFetch(timeoutMs: number): Fetch {
  return (url, init) => fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
}
