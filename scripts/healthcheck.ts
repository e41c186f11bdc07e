/** `node dist/scripts/healthcheck.js <port> ...`: exits 0 when /health answers 200 on every port (container checks). */
const ports = process.argv.slice(2);
Promise.all(ports.map((port) => fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) }))).then(
  (responses) => process.exit(ports.length > 0 && responses.every((response) => response.ok) ? 0 : 1),
  () => process.exit(1),
);
