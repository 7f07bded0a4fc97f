// The headless Chromium every browser test drives: Debian's build, with the flags this closed network needs
// (no background networking, component updates or sync, each of which would try to reach the outside);
// whether the tests that need it run (in CI its absence is an error); and the page they open, built.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where browser tests save their screenshots (committed: the page as users see it). */
export const SCREENSHOTS = `${ROOT}results/screenshots`;

const missing = !existsSync(CHROMIUM_PATH);
if (missing && process.env.CI) throw new Error(`${CHROMIUM_PATH} is missing: install it with apt-get install -y chromium`);
/** Why the tests that need Chromium skip (outside CI, without it), or false when they run. */
export const browserSkip: string | false = missing ? `${CHROMIUM_PATH} is missing (apt-get install -y chromium); browser tests skipped` : false;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Builds the page (ui/ → ui/site/) as `npm start` does, and makes the screenshots folder. */
export function buildPage(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync(process.execPath, ['scripts/build-ui.mjs'], { cwd: ROOT, stdio: 'pipe' });
}
