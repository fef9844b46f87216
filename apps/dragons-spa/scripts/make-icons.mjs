// Renders public/logo.svg into the PNG icons the web app manifest and the page name, with the
// Chromium that Playwright drives (CHROMIUM_PATH, default /usr/bin/chromium). Run it after
// changing the logo: `node apps/dragons-spa/scripts/make-icons.mjs`; commit the PNGs.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const logo = await readFile(join(publicDir, 'logo.svg'), 'utf8');
const dataUrl = `data:image/svg+xml;base64,${Buffer.from(logo).toString('base64')}`;

/** name, size in pixels, and the logo's share of it (maskable icons keep a safe zone). */
const icons = [
  ['icons/icon-192.png', 192, 1],
  ['icons/icon-512.png', 512, 1],
  ['icons/maskable-512.png', 512, 0.72],
  ['icons/apple-touch-icon.png', 180, 1],
  ['favicon-32.png', 32, 1],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  for (const [name, size, share] of icons) {
    const inner = Math.round(size * share);
    const background = share < 1 ? '#7f1d1d' : 'transparent';
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${background}">` +
        `<img src="${dataUrl}" width="${inner}" height="${inner}" style="${share < 1 ? 'border-radius:0' : ''}"></body>`,
    );
    await page.screenshot({ path: join(publicDir, name), omitBackground: share === 1 });
    console.log(`${name} ${size}x${size}`);
  }
} finally {
  await browser.close();
}
