import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser, SchemaInterface } from '@asyncapi/parser';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asyncApiDocument } from './asyncapi';
import { EVENT_TYPES } from './event-types';
import { SERVICE_NAMES } from './services';

// The contracts import nothing of ours (not even a helper to find the repository): the path is spelled out.
const repoRoot = join(__dirname, '..', '..', '..');

describe(asyncApiDocument.name, () => {
  it('matches docs/asyncapi.yaml (run `npm run asyncapi` after changing a contract)', () => {
    expect(readFileSync(join(repoRoot, 'docs', 'asyncapi.yaml'), 'utf8')).toBe(asyncApiDocument());
  });

  it("documents every event type with its payload's validation rules", () => {
    const document = parse(asyncApiDocument()) as {
      components: { messages: Record<string, { name: string }>; schemas: Record<string, { properties?: object }> };
    };
    const events = Object.entries(document.components.messages).filter(([key]) => key !== 'DeadLetter');
    expect(events.map(([, message]) => message.name)).toEqual(Object.keys(EVENT_TYPES));
    expect(document.components.schemas.ProbeV1.properties).toMatchObject({
      probeId: { format: 'uuid' },
      n: { type: 'integer', minimum: 1 },
    });
  });

  it("loads in AsyncAPI's own parser with no error, each nested item schema resolved", async () => {
    const { document, diagnostics } = await new Parser().parse(
      readFileSync(join(repoRoot, 'docs', 'asyncapi.yaml'), 'utf8'),
    );
    // The parser's diagnostics use another copy of @stoplight/types' enum: compared by value.
    const errors = diagnostics.filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error));
    expect(errors.map((error) => `${error.path.join('/')}: ${error.message}`)).toEqual([]);
    expect(document).toBeDefined();
    const schemas = document!.components().schemas();
    const items = schemas.get('AlertReceivedV1')!.properties()!.receipts.items() as SchemaInterface;
    const receipt = Object.keys(schemas.get('AlertReceiptV1')!.properties()!);
    expect(receipt.length).toBeGreaterThan(0);
    expect(Object.keys(items.properties()!)).toEqual(receipt);
  });

  it('describes the broadcast, directed and dead-letter topics, parameterised by region', async () => {
    const { document } = await new Parser().parse(asyncApiDocument());
    const addresses = document!
      .channels()
      .all()
      .map((channel) => channel.address());
    expect(addresses).toEqual(
      expect.arrayContaining([
        '{origin}.health',
        '{origin}.health.{target}',
        '{origin}.lab.{target}',
        '{origin}.talent.{target}',
        '{origin}.police.{target}',
        '{origin}.ledger.{target}',
        '{region}.dlq',
      ]),
    );
    expect(addresses).toHaveLength(SERVICE_NAMES.length * 2 + 1);
    const dlq = document!
      .channels()
      .all()
      .find((channel) => channel.address() === '{region}.dlq')!;
    expect(
      dlq
        .parameters()
        .all()
        .map((parameter) => parameter.id()),
    ).toEqual(['region']);
    expect(dlq.messages().all()[0].headers()!.properties()).toHaveProperty('dlq_reason_code');
  });
});
