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

/** True when a listening socket can be bound to 127.0.0.1:port right now. */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Ports below the kernel's ephemeral range (32768 and up by default): a port in that range, free when checked, can
 * be taken a moment later as the local end of any outgoing connection (a PostgreSQL or Kafka client of another
 * test), and a broker started on it then fails to bind.
 */
const FIXED_PORTS = { from: 20_000, to: 32_000 };

/**
 * A port for `npm start -- --kafka-port`: bindable, with the next `clusters - 1` ports (one cluster per city) and
 * each one's controller port (100 above) bindable too, all outside the ephemeral range.
 */
export async function freeKafkaPort(clusters = 2): Promise<number> {
  const span = FIXED_PORTS.to - FIXED_PORTS.from - 100 - clusters;
  for (;;) {
    const port = FIXED_PORTS.from + Math.floor(Math.random() * span);
    const all = Array.from({ length: clusters }, (_, i) => [port + i, port + 100 + i]).flat();
    const bindable = await Promise.all(all.map((each) => canBind(each)));
    if (bindable.every(Boolean)) return port;
  }
}
