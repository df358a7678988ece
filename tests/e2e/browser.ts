import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { resolveFfmpeg } from '../../backend/src/platform/ffmpeg';

/**
 * End-to-end helpers: the H5 build of the mini-program in Debian's Chromium (playwright-core), against the
 * stack from tests/helpers/stack.ts (database + WeChat simulator + backend serving the H5 build).
 */

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumMissing(): string | undefined {
  return fs.existsSync('/usr/bin/chromium') ? undefined : '/usr/bin/chromium not installed';
}

/** `fakeCamera`: a .y4m file Chromium's fake camera plays (looped) to getUserMedia, with no permission prompt. */
export async function launchBrowser(options: { fakeCamera?: string } = {}): Promise<Browser> {
  const camera = options.fakeCamera
    ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCamera}`]
    : [];
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...camera] });
}

/**
 * A camera's view of a still photo, for Chromium's fake camera: 640×480, the photo letterboxed on a white wall
 * (its proportions kept), 2 s at 10 frames/s, made with ffmpeg; returns the .y4m path.
 */
export function fakeCameraOf(photo: string, dir: string): string {
  const out = path.join(dir, `${path.basename(photo, path.extname(photo))}.y4m`);
  const ffmpeg = resolveFfmpeg({ FFMPEG_PATH: process.env.FFMPEG_PATH });
  const fit = 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2:white';
  execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', photo, '-t', '2', '-r', '10', '-vf', fit, '-pix_fmt', 'yuv420p', out]);
  return out;
}

/** A phone-sized browser context; each context is a separate "device" (its own storage, so its own WeChat user). */
export async function phone(browser: Browser, size: { width: number; height: number } = { width: 414, height: 896 }): Promise<BrowserContext> {
  return browser.newContext({ viewport: size, deviceScaleFactor: 2, locale: 'zh-CN' });
}

/** A small, cheap phone: 375 × 667 CSS px. */
export const SMALL_PHONE = { width: 375, height: 667 };

/**
 * Enlarged text, as a phone's 字体大小 setting does: the H5 build sizes everything in rem from the root font
 * size Taro computes for the screen width (20 px at 375 px), so the root is multiplied by `scale`. Anything
 * sized in fixed pixels (as Taro's own toast is) does not grow, which is exactly what this is meant to show.
 */
export async function enlargeText(context: BrowserContext, scale: number): Promise<void> {
  await context.addInitScript((factor: number) => {
    const apply = () => {
      const width = Math.min(window.innerWidth, window.innerHeight);
      const root = Math.min(40, Math.max(20, (40 * width) / 750));
      let style = document.getElementById('e2e-text-scale');
      if (!style) {
        style = document.createElement('style');
        style.id = 'e2e-text-scale';
        document.head.appendChild(style);
      }
      style.textContent = `html { font-size: ${root * factor}px !important; }`;
    };
    document.addEventListener('DOMContentLoaded', apply);
  }, scale);
}

/** Whether the element's whole box lies inside the visible viewport (not merely somewhere on the page). */
export async function isInViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  return box.y >= 0 && box.x >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width;
}

export function screenshotDir(name: string): string {
  const dir = process.env.E2E_SCREENSHOT_DIR ? path.join(process.env.E2E_SCREENSHOT_DIR, name) : fs.mkdtempSync(path.join(os.tmpdir(), `ce-e2e-${name}-`));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export class Shots {
  private n = 0;
  constructor(readonly dir: string) {}
  /** `fullPage: false` keeps what the person actually sees (e.g. whether a result is in view). */
  async take(page: Page, label: string, options: { fullPage?: boolean } = {}): Promise<string> {
    const file = path.join(this.dir, `${String(++this.n).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
    return file;
  }
}

/** Errors the page threw; a journey fails if any appear. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function openPage(page: Page, baseUrl: string, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#/pages/${route}/index`);
}

/** Taro's <Input id="x"> renders <taro-input-core id="x"><input/></taro-input-core> in H5. */
export async function fillField(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`#${id} input`);
  await input.waitFor({ state: 'visible' });
  await input.fill(value);
}

/** Waits until the hash route shows the given page. */
export async function waitForRoute(page: Page, route: string, timeout = 20_000): Promise<void> {
  await page.waitForURL((url) => url.hash.startsWith(`#/pages/${route}/index`), { timeout });
}
