/**
 * A Chromium or Chrome for the browser tests (playwright-core drives it; `playwright install`
 * cannot download browsers on these machines). Looks at CHROME_PATH and the usual paths; where
 * none is found but apt-get can install one (as root), installs Debian's `chromium` once.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** Headless flags that keep Chromium from calling hosts this machine cannot (or must not) reach. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const executable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const found = () => [process.env.CHROME_PATH, ...CANDIDATES].find((file): file is string => !!file && executable(file));

const canInstall = () => process.getuid?.() === 0 && executable('/usr/bin/apt-get');

export const findChromium = (): string => {
  const existing = found();
  if (existing) return existing;
  if (canInstall()) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env });
    const installed = found();
    if (installed) return installed;
  }
  throw new Error(
    `No Chromium or Chrome found (CHROME_PATH, ${CANDIDATES.join(', ')}): install one (Debian: apt-get install -y chromium) or set CHROME_PATH.`,
  );
};
