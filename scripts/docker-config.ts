/**
 * `npm run docker:config`: writes docker/mm2/<region>.properties, each city's MirrorMaker 2 in docker/compose.yaml,
 * and, once, docker/secrets/ (git-ignored): a signing key per city, the region registry holding their public keys,
 * and the JWT and pseudonym secrets. The containers listen on every interface, where the development keys and
 * secrets in the source are refused, so the compose stack runs on keys of its own.
 */
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionRegistry, SERVICES, signingKeyId } from '@app/contracts';
import { composeMirrorMakerFiles, repoRoot } from '@app/embedded';

const root = repoRoot();
const registryFile = join(root, 'config', 'regions.json');
const registry = RegionRegistry.fromFile(registryFile);
const domains = [...new Set(Object.values(SERVICES).map((service) => service.domain))];
mkdirSync(join(root, 'docker', 'mm2'), { recursive: true });
for (const [file, text] of Object.entries(composeMirrorMakerFiles(registry.names, domains))) {
  writeFileSync(join(root, 'docker', 'mm2', file), text);
  process.stdout.write(`docker/mm2/${file} written\n`);
}

const secrets = join(root, 'docker', 'secrets');
if (existsSync(join(secrets, 'regions.json'))) {
  process.stdout.write('docker/secrets/ kept (delete it for new keys and secrets)\n');
} else {
  // Readable by the containers' unprivileged user, whatever its uid here: keys of a local demo stack, not production's.
  mkdirSync(secrets, { recursive: true, mode: 0o755 });
  const registryJson = JSON.parse(readFileSync(registryFile, 'utf8')) as {
    regions: { name: string; keys: object[]; encryptionKey?: object }[];
  };
  const notBefore = new Date(Date.now() - 60_000).toISOString();
  for (const region of registryJson.regions) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    writeFileSync(join(secrets, `${region.name}.ed25519`), `${der}\n`, { mode: 0o644 });
    region.keys = [
      {
        kid: signingKeyId(publicKey),
        publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        notBefore,
      },
    ];
    // The key personal data meant for this city alone is sealed to (affairs: an applicant's identity).
    const encryption = generateKeyPairSync('x25519');
    const pkcs8 = encryption.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    writeFileSync(join(secrets, `${region.name}.x25519`), `${pkcs8}\n`, { mode: 0o644 });
    region.encryptionKey = {
      publicKey: encryption.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
  }
  writeFileSync(join(secrets, 'regions.json'), `${JSON.stringify(registryJson, null, 2)}\n`);
  for (const name of ['jwt-secret', 'pseudonym-secret']) {
    writeFileSync(join(secrets, name), `${randomBytes(32).toString('hex')}\n`, { mode: 0o644 });
  }
  process.stdout.write(
    'docker/secrets/ written: a signing key per city, their registry, the JWT and pseudonym secrets\n',
  );
}
