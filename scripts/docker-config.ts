/** `npm run docker:config`: writes docker/mm2/<region>.properties, each city's MirrorMaker 2 in docker/compose.yaml. */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionRegistry, SERVICES } from '@app/contracts';
import { composeMirrorMakerFiles, repoRoot } from '@app/embedded';

const root = repoRoot();
const registry = RegionRegistry.fromFile(join(root, 'config', 'regions.json'));
const domains = [...new Set(Object.values(SERVICES).map((service) => service.domain))];
mkdirSync(join(root, 'docker', 'mm2'), { recursive: true });
for (const [file, text] of Object.entries(composeMirrorMakerFiles(registry.names, domains))) {
  writeFileSync(join(root, 'docker', 'mm2', file), text);
  process.stdout.write(`docker/mm2/${file} written\n`);
}
