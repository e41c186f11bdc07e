import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot, startKafkaBroker } from '@app/embedded';

/** A broker that cannot bind its port dies during start-up: the launcher must say so at once, with the reason. */
describe(`${startKafkaBroker.name} when the broker dies during start-up`, () => {
  let occupant: Server;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shuanglai-kafka-dies-'));
    // It hangs up at once: the start-up's readiness probe, connecting here, must not hold the port open.
    occupant = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => occupant.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("rejects with the broker's exit and its logged error, well before the start-up timeout", async () => {
    const taken = (occupant.address() as { port: number }).port;
    const started = Date.now();
    const failure = await startKafkaBroker({
      root: repoRoot(),
      dataDir,
      port: taken,
      controllerPort: await freePort(),
      heapMb: 256,
      startTimeoutMs: 120_000,
    }).then(
      (broker) => broker.stop().then(() => new Error('the broker started on a taken port')),
      (error: Error) => error,
    );

    expect(failure.message).toMatch(/the Kafka broker exited with code [1-9]\d* during start-up/);
    expect(failure.message).toMatch(/last lines:[\s\S]*(Address already in use|BindException)/);
    expect(failure.message).not.toMatch(/ESRCH/);
    expect(Date.now() - started).toBeLessThan(120_000);
  }, 180_000);
});
