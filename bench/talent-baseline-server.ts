import { createServer } from 'node:http';
import { Pool } from 'pg';
import { Pseudonymizer } from '@app/bus/trust/pseudonym';

/**
 * The status query's baseline, run as a process of its own like the service it is compared with: a bare Node HTTP
 * server that computes the same pseudonym and runs a plain indexed SELECT on the same table through a pool of the
 * same size, with no framework, authentication, validation, audit or JSON shaping.
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, application_name: 'bench/baseline' });
const pseudonyms = new Pseudonymizer(process.env.PSEUDONYM_SECRET!);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const { residentId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { residentId: string };
    pool
      .query('select * from talent_certification where person = $1', [pseudonyms.of(residentId)])
      .then(({ rows }) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ hit: rows.length > 0, certifications: rows }));
      })
      .catch((error: Error) => {
        response.writeHead(500);
        response.end(error.message);
      });
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('disconnect', () => process.exit(0));
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
