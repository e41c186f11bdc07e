/** `npm run asyncapi`: writes docs/asyncapi.yaml from libs/contracts (a test fails while it is out of date). */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncApiDocument } from '@app/contracts/asyncapi';
import { repoRoot } from '@app/embedded';

writeFileSync(join(repoRoot(), 'docs', 'asyncapi.yaml'), asyncApiDocument());
process.stdout.write('docs/asyncapi.yaml written\n');
