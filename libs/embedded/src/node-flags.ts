/**
 * The V8 settings of every service process: `npm start`'s, the Docker image's (docker/Dockerfile and compose.yaml
 * repeat them; a test checks they agree) and the benchmark's. V8's young generation grows to 16 MiB semi-spaces by
 * default; at 4 MiB a service's resident memory falls by about a quarter (two idle police services 274 → 230 MiB,
 * with 1,000 open alert streams 363 → 287 MiB: `npm run bench -- police`) for more frequent, shorter scavenges.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
