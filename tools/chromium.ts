/**
 * Headless Chromium for the HTML cost page: the browser test and `npm run docs:screenshot` open
 * the page the same way. Debian's `chromium` package at /usr/bin/chromium (.ci/run installs it);
 * CHROMIUM_PATH names another build (GitHub's Ubuntu runners ship Google Chrome, and Ubuntu's
 * `chromium` package is only a snap stub). Driven by playwright-core, which downloads no browser.
 */
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { chromium, Browser, Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`headless Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium or Chrome binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface OpenedPage {
  readonly page: Page;
  /** console errors and uncaught page errors, in order */
  readonly errors: string[];
  /** every request the page made besides loading itself (each one was refused) */
  readonly requests: string[];
}

/** Opens a local HTML file at a fixed viewport, refusing (and recording) every other request. */
export async function openFile(browser: Browser, file: string, viewport: { width: number; height: number }): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, offline: true });
  const page = await context.newPage();
  const url = pathToFileURL(path.resolve(file)).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  await page.route("**/*", (route) => {
    if (route.request().url() === url) return route.continue();
    requests.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, requests };
}

export interface PixelStats {
  readonly width: number;
  readonly height: number;
  /** share of pixels that are not (near) white */
  readonly inkShare: number;
  /** distinct colours, quantised to 4 bits per channel */
  readonly colours: number;
}

/** Decodes a PNG in the browser (a canvas) and measures how much of it is drawn. */
export async function pixelStats(browser: Browser, png: Buffer): Promise<PixelStats> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (b64: string) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, img.width, img.height).data;
      let ink = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
        colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
      }
      return { width: img.width, height: img.height, inkShare: ink / (d.length / 4), colours: colours.size };
    }, png.toString("base64"));
  } finally {
    await page.close();
  }
}
