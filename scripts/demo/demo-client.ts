import { randomInt } from 'node:crypto';
import { residentIdCheckCharacter } from '@app/bus';
import { RegionRegistry, ServiceName } from '@app/contracts';
import { JwtKey } from '@app/config';
import { Role, signDevToken } from '@app/http';
import { sleep } from '@app/runtime';

/** Where the demo finds the stack, and who it acts as. */
export interface DemoOptions {
  registry: RegionRegistry;
  urlOf(region: string, service: ServiceName): string;
  /** A bearer token of that role and organisation in that region. */
  tokenOf(region: string, role: Role, org: string): string;
  log(line: string): void;
  /** How long to wait for an event to reach the other city. */
  timeoutMs?: number;
}

export function devTokens(registry: RegionRegistry, jwt: JwtKey & { kind: 'secret' }): DemoOptions['tokenOf'] {
  return (region, role, org) => signDevToken({ role, region, org, sub: `demo:${org}` }, { jwt, registry });
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

/** A step could not go on: what was asked and what came back (RFC 9457 detail when there is one). */
export class DemoFailure extends Error {}

/** An endpoint the scenario needs is not in this build of a service (absent from its OpenAPI document). */
export class DemoMissing extends Error {}

/** One actor of the scenario: an organisation of a region with a role, calling one service over HTTP. */
export class Actor {
  constructor(
    private readonly options: DemoOptions,
    readonly region: string,
    readonly role: Role,
    readonly org: string,
  ) {}

  get label(): string {
    return `${this.org} (${this.role}, ${this.region})`;
  }

  async call<T>(service: ServiceName, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
    const url = `${this.options.urlOf(this.region, service)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${this.options.tokenOf(this.region, this.role, this.org)}`,
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new DemoFailure(`${method} ${url}: ${(error as Error).message} (is the stack running? npm start)`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T };
  }

  /** POSTs a multipart form (JSON fields, file parts) and insists on one of the expected statuses. */
  async upload<T>(
    statuses: number[],
    service: ServiceName,
    path: string,
    fields: Record<string, unknown>,
    files: { field: string; name: string; content: Buffer }[],
  ): Promise<Answer<T>> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, JSON.stringify(value));
    for (const file of files) form.append(file.field, new Blob([file.content]), file.name);
    const url = `${this.options.urlOf(this.region, service)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.options.tokenOf(this.region, this.role, this.org)}` },
        body: form,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new DemoFailure(`POST ${url}: ${(error as Error).message} (is the stack running? npm start)`);
    }
    const body = (await response.json().catch(() => undefined)) as T;
    if (!statuses.includes(response.status)) {
      throw new DemoFailure(
        `${this.region} ${service}: POST ${path} answered ${response.status}: ${JSON.stringify(body)}`,
      );
    }
    return { status: response.status, body };
  }

  /** Calls and insists on one of the expected statuses; anything else ends the step with the server's own words. */
  async expect<T>(
    statuses: number[],
    service: ServiceName,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Answer<T>> {
    const answer = await this.call<T>(service, method, path, body);
    if (!statuses.includes(answer.status)) {
      const problem = answer.body as { code?: string; detail?: string; errors?: unknown } | undefined;
      const detail = problem?.detail ?? JSON.stringify(answer.body);
      throw new DemoFailure(
        `${this.region} ${service}: ${method} ${path} answered ${answer.status}${problem?.code ? ` ${problem.code}` : ''}: ` +
          `${detail}${problem?.errors ? ` ${JSON.stringify(problem.errors)}` : ''}`,
      );
    }
    return answer;
  }
}

/** Polls until `probe` gives a value, or fails naming what did not happen. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DemoFailure(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** The endpoints each service's OpenAPI document lists (`POST /talent/claims`), to tell a missing feature apart. */
export async function endpointsOf(options: DemoOptions, region: string, service: ServiceName): Promise<Set<string>> {
  const response = await fetch(`${options.urlOf(region, service)}/docs-json`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new DemoFailure(`${region} ${service}: /docs-json answered ${response.status}`);
  const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
  return new Set(
    Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

/** A resident ID as the demo prints it: the area code and the check character, never the whole number. */
export function masked(residentId: string): string {
  return `${residentId.slice(0, 6)}********${residentId.slice(14)}`;
}

/**
 * A synthetic resident ID of an area (valid check character, random birth date and sequence), new on every run
 * so that the demo can run again on the same stack. It belongs to no one.
 */
export function syntheticResidentId(areaCode: string): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + randomInt(0, 40 * 365) * 86_400_000);
  const date = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `${areaCode}${date}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  return `${first17}${residentIdCheckCharacter(first17)}`;
}
