import { createServer } from 'node:net';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port within the timeout. */
export async function isListening(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A port for `npm start -- --kafka-port`: free, with the next `clusters - 1` ports (one cluster per city) and each
 * one's controller port (100 above) free too.
 */
export async function freeKafkaPort(clusters = 2): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 65_000) continue;
    const others = Array.from({ length: clusters }, (_, i) => [port + i, port + 100 + i])
      .flat()
      .slice(1);
    const taken = await Promise.all(others.map((other) => isListening(other)));
    if (!taken.some(Boolean)) return port;
  }
}
