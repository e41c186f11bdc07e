import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's package installs the real binary here; /usr/bin/chromium is a shell wrapper around it. */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The system Chromium for browser tests (CHROMIUM_PATH, else Debian's package), installed with apt-get when it is
 * missing and we are root (CI on a fresh machine); never a browser build downloaded by Playwright.
 */
export function systemChromium(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  const found = () => CANDIDATES.find((path) => existsSync(path));
  const present = found();
  if (present) return present;
  if (process.getuid?.() !== 0) {
    throw new Error('Chromium is not installed: run `apt-get install chromium` as root (or set CHROMIUM_PATH)');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stderr.write('[browser] installing Debian chromium with apt-get\n');
  execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', 'chromium'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
  const installed = found();
  if (!installed) throw new Error(`apt-get installed chromium, but none of ${CANDIDATES.join(', ')} exists`);
  return installed;
}
