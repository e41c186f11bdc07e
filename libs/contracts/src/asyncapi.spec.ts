import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@app/embedded';
import { asyncApiDocument } from './asyncapi';
import { EVENT_TYPES } from './event-types';

describe(asyncApiDocument.name, () => {
  it('matches docs/asyncapi.yaml (run `npm run asyncapi` after changing a contract)', () => {
    expect(readFileSync(join(repoRoot(), 'docs', 'asyncapi.yaml'), 'utf8')).toBe(asyncApiDocument());
  });

  it("documents every event type with its payload's validation rules", () => {
    const document = parse(asyncApiDocument()) as {
      components: { messages: Record<string, { name: string }>; schemas: Record<string, { properties?: object }> };
    };
    expect(Object.values(document.components.messages).map((message) => message.name)).toEqual(
      Object.keys(EVENT_TYPES),
    );
    expect(document.components.schemas.ProbeV1.properties).toMatchObject({
      probeId: { format: 'uuid' },
      n: { type: 'integer', minimum: 1 },
    });
  });
});
