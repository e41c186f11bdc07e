import { firstValueFrom } from 'rxjs';
import { Principal } from '@app/http';
import { ConsoleConfig } from '../console.config';
import { ConsoleSessionStore, MAX_SESSIONS } from './session.store';

const operator: Principal = { role: 'operator', region: 'laixi', org: 'laixi-ops' };
const inAnHour = () => new Date(Date.now() + 3_600_000);

function store(sessionTtlSeconds = 600): ConsoleSessionStore {
  return new ConsoleSessionStore({ sessionTtlSeconds } as ConsoleConfig);
}

describe(ConsoleSessionStore.name, () => {
  afterEach(() => jest.useRealTimers());

  it('finds a session by its cookie value only, and keeps no cookie value', () => {
    const sessions = store();
    const { id, session } = sessions.open(operator, inAnHour());
    expect(sessions.find(id)).toBe(session);
    expect(session.key).not.toContain(id);
    expect(sessions.find(`${id}x`)).toBeUndefined();
    expect(sessions.find(undefined)).toBeUndefined();
    expect(sessions.find(session.key)).toBeUndefined();
  });

  it("ends a session at the console's maximum or when its token expires, whichever comes first", () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T10:00:00Z') });
    const sessions = store(600);
    const long = sessions.open(operator, inAnHour());
    const short = sessions.open(operator, new Date(Date.now() + 60_000));
    expect(long.session.expiresAt.toISOString()).toBe('2026-11-29T10:10:00.000Z');
    expect(short.session.expiresAt.toISOString()).toBe('2026-11-29T10:01:00.000Z');
    jest.setSystemTime(new Date('2026-11-29T10:01:00Z'));
    expect(sessions.find(short.id)).toBeUndefined();
    expect(sessions.find(long.id)).toBe(long.session);
    jest.setSystemTime(new Date('2026-11-29T10:10:00Z'));
    expect(sessions.find(long.id)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('replaces the session a new login comes from, and ends the oldest past its bound', () => {
    const sessions = store();
    const first = sessions.open(operator, inAnHour());
    const again = sessions.open(operator, inAnHour(), first.id);
    expect(sessions.find(first.id)).toBeUndefined();
    expect(sessions.find(again.id)).toBe(again.session);
    const later = Array.from({ length: MAX_SESSIONS }, () => sessions.open(operator, inAnHour()));
    expect(sessions.size).toBe(MAX_SESSIONS);
    expect(sessions.find(again.id)).toBeUndefined();
    expect(sessions.find(later[0].id)).toBe(later[0].session);
  });

  it("accepts the session's own CSRF token only", () => {
    const sessions = store();
    const { session } = sessions.open(operator, inAnHour());
    const other = sessions.open(operator, inAnHour()).session;
    expect(sessions.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(sessions.csrfMatches(session, other.csrfToken)).toBe(false);
    for (const wrong of [undefined, '', `${session.csrfToken}x`, [session.csrfToken]]) {
      expect(sessions.csrfMatches(session, wrong)).toBe(false);
    }
  });

  it('tells its event streams when it ends', async () => {
    const sessions = store();
    const { session } = sessions.open(operator, inAnHour());
    const ended = firstValueFrom(sessions.endOf(session));
    sessions.end(session.key);
    await expect(ended).resolves.toBe(session.key);
  });
});
