import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm start -- [options]
  --region <name>        run only this city (repeatable); default: every region in the registry
  --regions-file <path>  the region registry (default: REGIONS_FILE, else config/regions.json)
  --one-process          each city's services in one Node process (default: one process per service)
  --federated            each city on its own Kafka cluster, peers' topics mirrored in by MirrorMaker 2
  --kafka-port <n>       port of the (first) embedded Kafka broker (default 9092; controllers listen 100 above)
  --data <dir>           data and logs (default .data), kept between runs
  -h, --help             this text`;

export interface StartOptions {
  regions: string[];
  regionsFile: string;
  oneProcess: boolean;
  federated: boolean;
  kafkaPort: number;
  dataDir: string;
  help: boolean;
}

/** The command line of `npm start`; throws with the usage on an unknown option or a missing value. */
export function parseStartOptions(args: string[], root: string, env: NodeJS.ProcessEnv = process.env): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        region: { type: 'string', multiple: true, default: [] },
        'regions-file': { type: 'string', default: env.REGIONS_FILE ?? 'config/regions.json' },
        'one-process': { type: 'boolean', default: false },
        federated: { type: 'boolean', default: false },
        'kafka-port': { type: 'string', default: '9092' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const kafkaPort = Number(values['kafka-port']);
  if (!Number.isInteger(kafkaPort) || kafkaPort < 1 || kafkaPort > 65_000) {
    throw new Error('--kafka-port must be a port number');
  }
  return {
    regions: values.region,
    regionsFile: values['regions-file'],
    oneProcess: values['one-process'],
    federated: values.federated,
    kafkaPort,
    dataDir: values.data === undefined ? join(root, '.data') : resolve(values.data),
    help: values.help,
  };
}
