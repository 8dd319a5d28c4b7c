// End-to-end test of the playground in real headless Chromium.
//
// Run with: (after `cargo build --release`)  cd crates/web/e2e && npm ci && node playground.test.mjs
//
// It builds nothing: it starts the release binary (`target/release/actlab`, or $ACTLAB_BIN) as
// `actlab serve --port <free port>`, drives the page through its data-testid hooks with
// Debian's chromium (/usr/bin/chromium, or $CHROMIUM) via playwright-core, and exits non-zero on
// the first failure. $E2E_SCREENSHOTS names a folder for screenshots, if wanted.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.ACTLAB_BIN || resolve(here, "../../../target/release/actlab");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.E2E_SCREENSHOTS;
const TIMEOUT = 30_000;

function fail(message) {
  throw new Error(message);
}

function check(condition, message) {
  if (!condition) fail(message);
  console.log(`  ok: ${message}`);
}

async function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.on("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

async function startServer(port) {
  if (!existsSync(binary)) fail(`no binary at ${binary}: run cargo build --release first (or set ACTLAB_BIN)`);
  const server = spawn(binary, ["serve", "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("the server did not start within 30 s")), TIMEOUT);
    server.on("exit", (code) => rej(new Error(`the server exited with ${code}`)));
    server.stdout.on("data", (chunk) => {
      if (String(chunk).includes("actlab playground:")) {
        clearTimeout(timer);
        res();
      }
    });
  });
  return server;
}

const text = (page, id) => page.getByTestId(id).innerText();
const number = async (page, id) => Number(await text(page, id));

async function waitFor(page, what, predicate, timeout = TIMEOUT) {
  const start = Date.now();
  for (;;) {
    if (await predicate()) return;
    if (Date.now() - start > timeout) fail(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

async function shot(page, name) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function run() {
  const port = await freePort();
  const server = await startServer(port);
  const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    const url = `http://127.0.0.1:${port}/`;

    console.log("load the page");
    await page.goto(url);
    await waitFor(page, "the first state", async () => (await text(page, "loss-train")) !== "–");
    check((await text(page, "epoch")) === "0", "the epoch starts at 0");

    console.log("choose spiral and relu");
    await page.getByTestId("dataset").selectOption("spiral");
    await waitFor(page, "the spiral in the URL", async () => page.url().includes("dataset=spiral"));
    await page.getByTestId("activation").selectOption("relu");
    await waitFor(page, "relu in the URL", async () => /layers=[^&]*relu/.test(page.url()));
    await page.getByTestId("learning-rate").fill("0.03");
    const lossBefore = await number(page, "loss-train");
    check(Number.isFinite(lossBefore), `a training loss before training (${lossBefore})`);

    console.log("play: the loss falls and the gradient-flow panel fills");
    await page.getByTestId("play").click();
    await waitFor(page, "epoch 40", async () => (await number(page, "epoch")) >= 40);
    const lossAfter = await number(page, "loss-train");
    check(lossAfter < lossBefore, `the training loss fell (${lossBefore} → ${lossAfter})`);
    check(Number.isFinite(await number(page, "loss-test")), "a test loss is shown");
    const flow = page.getByTestId("gradient-flow");
    const rows = await flow.locator(":scope > *").count();
    check(rows === 3, `the gradient-flow panel has one row per layer (${rows})`);
    const norms = await flow.locator(":scope > *").evaluateAll((els) => els.map((e) => Number(e.dataset.norm)));
    check(norms.every((n) => n > 0 && Number.isFinite(n)), `every layer has a gradient norm (${norms.map((n) => n.toExponential(1)).join(", ")})`);
    check(/^\d+ of \d+ dead$/.test(await text(page, "dead-units")), `dead units reported (${await text(page, "dead-units")})`);
    await shot(page, "1-spiral-relu-playing");
    await page.getByTestId("play").click();
    await waitFor(page, "the pause", async () => (await page.getByTestId("play").getAttribute("aria-pressed")) === "false");
    const paused = await number(page, "epoch");
    await page.waitForTimeout(300);
    check((await number(page, "epoch")) === paused, "pause stops training");

    console.log("switch the activation");
    await page.getByTestId("activation").selectOption("tanh");
    await waitFor(page, "tanh in the URL", async () => /layers=[^&]*tanh/.test(page.url()) && !/layers=[^&]*relu/.test(page.url()));
    await waitFor(page, "a fresh network", async () => (await number(page, "epoch")) === 0);
    const layerSelects = await page.locator("[data-testid^=layer-activation-]").evaluateAll((els) => els.map((e) => e.value));
    check(layerSelects.length === 2 && layerSelects.every((v) => v === "tanh"), `every hidden layer is tanh (${layerSelects})`);

    console.log("step and reset");
    for (let k = 1; k <= 3; k++) {
      await page.getByTestId("step").click();
      await waitFor(page, `epoch ${k}`, async () => (await number(page, "epoch")) === k);
    }
    const lossAt3 = await text(page, "loss-train");
    await page.getByTestId("reset").click();
    await waitFor(page, "the reset", async () => (await number(page, "epoch")) === 0);

    console.log("bad input gives an error on the page");
    await page.getByTestId("learning-rate").fill("fast");
    await page.getByTestId("learning-rate").press("Enter");
    await waitFor(page, "an error message", async () => (await text(page, "error")).includes("not a number"));
    await page.getByTestId("learning-rate").fill("0.03");
    await page.getByTestId("learning-rate").press("Enter");

    console.log("reload from the URL: the same state");
    const before = page.url();
    await page.reload();
    await waitFor(page, "the state after reload", async () => page.url() === before && (await text(page, "loss-train")) !== "–");
    await waitFor(page, "the settings from the URL", async () => (await page.getByTestId("dataset").inputValue()) === "spiral");
    check((await page.getByTestId("dataset").inputValue()) === "spiral", "the dataset is still spiral");
    check((await page.getByTestId("activation").inputValue()) === "tanh", "the activation is still tanh");
    check(Number((await page.getByTestId("learning-rate").inputValue())) === 0.03, "the learning rate is still 0.03");
    for (let k = 1; k <= 3; k++) {
      await page.getByTestId("step").click();
      await waitFor(page, `epoch ${k}`, async () => (await number(page, "epoch")) === k);
    }
    check((await text(page, "loss-train")) === lossAt3, `the same trajectory after reload (loss ${lossAt3} at epoch 3)`);
    await shot(page, "2-after-reload");

    console.log("a diverging preset is explained in words");
    await page.locator("#preset").selectOption("divergence");
    await waitFor(page, "the preset", async () => page.url().includes("leaky_relu"));
    await page.getByTestId("play").click();
    await waitFor(page, "the divergence message", async () => (await text(page, "divergence")).includes("too large"));
    check((await page.getByTestId("play").getAttribute("aria-pressed")) === "false", "play stops on divergence");
    await shot(page, "3-divergence");

    console.log("each tab is its own session, freed when closed");
    const sessions = async () => (await (await fetch(`${url}api/health`)).json()).sessions;
    check((await sessions()) === 1, "one tab, one session");
    const other = await browser.newPage();
    await other.goto(url);
    await waitFor(other, "the second tab's state", async () => (await text(other, "loss-train")) !== "–");
    check((await text(other, "epoch")) === "0" && (await sessions()) === 2, "a second tab gets a session of its own");
    await other.close();
    await waitFor(page, "the closed tab's session to go", async () => (await sessions()) === 1);
    check(true, "closing the tab freed its session");

    console.log("a broken link is explained, and the page still works");
    const broken = await browser.newPage();
    await broken.goto(`${url}#dataset=spiral&lr=abc&layers=1000:relu`);
    await waitFor(broken, "the errors", async () => {
      const errors = await text(broken, "error");
      return errors.includes("lr=") && errors.includes("between 1 and 32");
    });
    check((await text(broken, "epoch")) === "0", "a broken link leaves a working page");
    await broken.getByTestId("step").click();
    await waitFor(broken, "a step after the errors", async () => (await text(broken, "epoch")) === "1");
    await broken.close();

    check(pageErrors.length === 0, `no script errors on the page (${pageErrors.join("; ")})`);
  } finally {
    await browser.close();
    server.kill();
  }
}

run().then(
  () => console.log("playground e2e: all passed"),
  (e) => {
    console.error(`playground e2e FAILED: ${e.message}`);
    process.exit(1);
  },
);
