// actlab playground: the page. It draws what the server's session computes and sends the
// user's changes back; no training happens here. Protocol: docs/PLAYGROUND.md.
"use strict";

const NEG = [245, 147, 34];   // class 0 / −1: orange (TensorFlow Playground's colours)
const POS = [8, 119, 189];    // class 1 / +1: blue
const MID = [232, 234, 235];  // 0: light grey
const CLASS_COLOURS = [
  [245, 147, 34], [8, 119, 189], [46, 125, 50], [198, 40, 40], [123, 31, 162],
  [0, 137, 123], [121, 85, 72], [233, 30, 99], [96, 125, 139], [175, 180, 43],
];
const FRAME = 6;
const PLAY_ICON = '<svg viewBox="0 0 24 24" class="icon"><path d="M8 5v14l11-7z"/></svg>';
const PAUSE_ICON = '<svg viewBox="0 0 24 24" class="icon"><path d="M6 5h4v14H6zM14 5h4v14h-4z"/></svg>';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, children = []) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
};

const app = {
  socket: null,
  session: null,
  hello: null,
  config: null,
  data: null,
  frame: null,
  pendingFrame: null,
  urlApplied: false,
  architecture: "",
};

// ---------------------------------------------------------------- connection

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  app.socket = socket;
  socket.onmessage = (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (e) {
      showError(`the server sent something unreadable: ${e}`);
      return;
    }
    handle(message);
  };
  socket.onclose = () => {
    const banner = $("banner");
    banner.textContent = "The connection to the playground server was lost. Is `actlab serve` still running? Reload the page to start a new session.";
    banner.className = "banner lost";
    $("play").setAttribute("aria-pressed", "false");
    $("play").innerHTML = PLAY_ICON;
  };
}

function send(message) {
  if (app.socket && app.socket.readyState === WebSocket.OPEN) {
    app.socket.send(JSON.stringify(message));
  } else {
    showError("not connected to the server");
  }
}

function handle(message) {
  switch (message.type) {
    case "hello":
      app.hello = message;
      app.session = message.session;
      setupCatalogue(message);
      break;
    case "config":
      app.config = message.config;
      applyConfigToControls(message.config);
      if (message.notice) showNotice(message.notice);
      if (!app.urlApplied) {
        app.urlApplied = true;
        const fromUrl = configFromUrl(message.config);
        if (fromUrl) send({ type: "configure", config: fromUrl });
        else writeUrl(message.config);
      } else {
        writeUrl(message.config);
      }
      break;
    case "data":
      app.data = message;
      $("data-source").textContent = `${message.source}: ${message.train.length} training and ${message.test.length} test points, ${message.n_classes} classes`;
      scheduleRender();
      break;
    case "state":
      app.pendingFrame = message;
      scheduleRender();
      break;
    case "error":
      showError(message.message);
      break;
    default:
      showError(`unknown message from the server: ${message.type}`);
  }
}

// ---------------------------------------------------------------- messages on the page

function showError(text) { flash(text, "error"); }
function showNotice(text) { flash(text, "notice"); }

function flash(text, kind) {
  const box = $("errors");
  const item = el("div", { class: kind, text });
  box.append(item);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => item.remove(), 12000);
}

// ---------------------------------------------------------------- controls

function setupCatalogue(hello) {
  const cat = hello.catalogue;
  fill($("dataset"), cat.datasets.map((d) => [d, d]));
  $("dataset").append(el("option", { value: "upload", text: "uploaded CSV" }));
  fill($("activation"), cat.activations.map(([name, title]) => [name, `${title} (${name})`]));
  fill($("init"), cat.inits.map((n) => [n, n]));
  fill($("optimizer"), cat.optimizers.map((n) => [n, n]));
  const presets = $("preset");
  for (const p of hello.presets) presets.append(el("option", { value: p.name, text: p.title }));
  const limits = hello.limits;
  $("upload-hint").textContent = `At most ${Math.round(limits.max_upload_bytes / 1024)} KiB, ${limits.max_samples} rows, ${limits.max_classes} classes; points are scaled into the [−6, 6] square.`;
  $("samples").max = limits.max_samples;
  $("batch-size").max = limits.max_batch;
  const base = `/api/sessions/${hello.session}`;
  $("export-json").href = `${base}/weights.json`;
  $("export-safetensors").href = `${base}/weights.safetensors`;
}

function fill(select, pairs) {
  select.replaceChildren(...pairs.map(([value, text]) => el("option", { value, text })));
}

function applyConfigToControls(c) {
  $("dataset").value = c.dataset;
  $("samples").value = c.samples;
  $("seed").value = c.seed;
  $("noise").value = Math.round(c.noise * 100);
  $("noise-value").textContent = Math.round(c.noise * 100);
  $("ratio").value = Math.round(c.train_ratio * 100);
  $("ratio-value").textContent = `${Math.round(c.train_ratio * 100)}%`;
  if (document.activeElement !== $("learning-rate")) $("learning-rate").value = c.learning_rate;
  if (c.layers.length > 0) $("activation").value = c.layers[0].activation;
  $("init").value = c.init;
  $("loss").value = c.loss;
  $("optimizer").value = c.optimizer;
  $("batch-size").value = c.batch_size;
  $("l1").value = c.l1;
  $("l2").value = c.l2;
  const n = c.layers.length;
  $("layer-count").textContent = `${n} hidden layer${n === 1 ? "" : "s"}`;
  const arch = JSON.stringify([c.features, c.layers, c.loss]);
  if (arch !== app.architecture) {
    app.architecture = arch;
    buildNetwork();
  }
}

function configure(patch) {
  if (!app.config) return;
  // A hand-made change leaves the preset behind.
  $("preset").value = "";
  $("preset-explanation").textContent = "";
  send({ type: "configure", config: { ...app.config, ...patch } });
}

function numberFrom(input, name, integer) {
  const text = String(input.value).trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    showError(`${name}: ${JSON.stringify(text)} is not ${integer ? "a whole number" : "a number"}`);
    return null;
  }
  return value;
}

function wireControls() {
  $("play").onclick = () => {
    const playing = $("play").getAttribute("aria-pressed") === "true";
    send({ type: playing ? "pause" : "play" });
  };
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => send({ type: "reset" });
  $("regenerate").onclick = () => send({ type: "regenerate" });
  $("dataset").onchange = (e) => configure({ dataset: e.target.value });
  $("noise").oninput = (e) => { $("noise-value").textContent = e.target.value; };
  $("noise").onchange = (e) => configure({ noise: Number(e.target.value) / 100 });
  $("ratio").oninput = (e) => { $("ratio-value").textContent = `${e.target.value}%`; };
  $("ratio").onchange = (e) => configure({ train_ratio: Number(e.target.value) / 100 });
  $("samples").onchange = (e) => { const v = numberFrom(e.target, "points", true); if (v !== null) configure({ samples: v }); };
  $("seed").onchange = (e) => { const v = numberFrom(e.target, "seed", true); if (v !== null) configure({ seed: v }); };
  $("activation").onchange = (e) => {
    configure({ layers: app.config.layers.map((l) => ({ ...l, activation: e.target.value })) });
  };
  $("init").onchange = (e) => configure({ init: e.target.value });
  $("loss").onchange = (e) => configure({ loss: e.target.value });
  $("optimizer").onchange = (e) => configure({ optimizer: e.target.value });
  $("batch-size").onchange = (e) => { const v = numberFrom(e.target, "batch size", true); if (v !== null) configure({ batch_size: v }); };
  $("l1").onchange = (e) => { const v = numberFrom(e.target, "L1", false); if (v !== null) configure({ l1: v }); };
  $("l2").onchange = (e) => { const v = numberFrom(e.target, "L2", false); if (v !== null) configure({ l2: v }); };
  // The learning rate applies as it is typed (after a pause) and on change; training goes on.
  let lrTimer = null;
  const applyLr = () => {
    clearTimeout(lrTimer);
    const v = numberFrom($("learning-rate"), "learning rate", false);
    if (v !== null && app.config && v !== app.config.learning_rate) configure({ learning_rate: v });
  };
  $("learning-rate").addEventListener("input", () => { clearTimeout(lrTimer); lrTimer = setTimeout(applyLr, 350); });
  $("learning-rate").addEventListener("change", applyLr);
  $("learning-rate").addEventListener("keydown", (e) => { if (e.key === "Enter") applyLr(); });
  $("add-layer").onclick = () => {
    const layers = app.config.layers;
    if (layers.length >= app.hello.limits.max_hidden_layers) {
      showError(`at most ${app.hello.limits.max_hidden_layers} hidden layers`);
      return;
    }
    const activation = layers.length ? layers[layers.length - 1].activation : $("activation").value;
    configure({ layers: [...layers, { units: 2, activation }] });
  };
  $("remove-layer").onclick = () => {
    if (app.config.layers.length === 0) return;
    configure({ layers: app.config.layers.slice(0, -1) });
  };
  $("preset").onchange = (e) => {
    const preset = app.hello.presets.find((p) => p.name === e.target.value);
    $("preset-explanation").textContent = preset ? preset.explanation : "";
    if (preset) send({ type: "configure", config: preset.config });
  };
  $("upload").onchange = async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    $("preset").value = "";
    $("preset-explanation").textContent = "";
    const limit = app.hello.limits.max_upload_bytes;
    if (file.size > limit) {
      showError(`${file.name} is ${file.size} bytes; the upload limit is ${limit} bytes (1 MiB)`);
      return;
    }
    send({ type: "upload", name: file.name, csv: await file.text() });
  };
  $("show-test").onchange = () => render();
  $("copy-link").onclick = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      showNotice("Link copied: it reloads these settings.");
    } catch (e) {
      showNotice(`Copy this address: ${location.href}`);
    }
  };
  window.addEventListener("resize", () => drawLinks());
}

// ---------------------------------------------------------------- URL state

// The whole configuration lives in the URL's fragment, e.g.
// #dataset=spiral&layers=8:relu,8:relu&features=x1,x2&lr=0.03&...
const URL_KEYS = {
  dataset: ["dataset", "string"], samples: ["samples", "int"], noise: ["noise", "float"],
  ratio: ["train_ratio", "float"], seed: ["seed", "int"], init: ["init", "string"],
  loss: ["loss", "string"], optimizer: ["optimizer", "string"], lr: ["learning_rate", "float"],
  batch: ["batch_size", "int"], l1: ["l1", "float"], l2: ["l2", "float"],
};

function writeUrl(c) {
  const parts = [];
  for (const [key, [field]] of Object.entries(URL_KEYS)) parts.push(`${key}=${encodeURIComponent(c[field])}`);
  parts.push(`features=${c.features.join(",")}`);
  parts.push(`layers=${c.layers.map((l) => `${l.units}:${l.activation}`).join(",")}`);
  history.replaceState(null, "", `#${parts.join("&")}`);
}

function configFromUrl(current) {
  const hash = location.hash.replace(/^#/, "");
  if (!hash) return null;
  const config = { ...current };
  const problems = [];
  for (const pair of hash.split("&")) {
    if (!pair) continue;
    const [key, raw = ""] = pair.split("=");
    const value = decodeURIComponent(raw);
    if (key === "features") {
      config.features = value ? value.split(",") : [];
    } else if (key === "layers") {
      const layers = [];
      for (const spec of value ? value.split(",") : []) {
        const [units, activation] = spec.split(":");
        const n = Number(units);
        if (!Number.isInteger(n) || !activation) { problems.push(`layers: ${JSON.stringify(spec)} is not UNITS:ACTIVATION`); continue; }
        layers.push({ units: n, activation });
      }
      config.layers = layers;
    } else if (URL_KEYS[key]) {
      const [field, kind] = URL_KEYS[key];
      if (kind === "string") { config[field] = value; continue; }
      const n = Number(value);
      if (value === "" || !Number.isFinite(n) || (kind === "int" && !Number.isInteger(n))) {
        problems.push(`${key}=${JSON.stringify(value)} is not ${kind === "int" ? "a whole number" : "a number"}`);
        continue;
      }
      config[field] = n;
    } else {
      problems.push(`unknown setting ${JSON.stringify(key)}`);
    }
  }
  if (config.dataset === "upload") {
    problems.push(`an uploaded dataset is not part of a link (upload the CSV again); using ${current.dataset} meanwhile`);
    config.dataset = current.dataset;
  }
  if (problems.length) showError(`The link's settings were partly ignored: ${problems.join("; ")}`);
  return config;
}

// ---------------------------------------------------------------- the network diagram

function buildNetwork() {
  const c = app.config;
  const columns = $("columns");
  columns.replaceChildren();
  // Features.
  const features = el("div", { class: "layer features" });
  features.append(el("div", { class: "layer-head", text: "inputs" }));
  for (const [name, label] of app.hello.catalogue.features) {
    const on = c.features.includes(name);
    const node = el("div", { class: `node feature${on ? " on" : ""}`, "data-feature": name, title: `${label}: click to ${on ? "remove" : "add"}` });
    node.append(el("canvas", { width: 20, height: 20 }));
    node.onclick = () => {
      const next = on ? c.features.filter((f) => f !== name) : [...c.features, name];
      configure({ features: app.hello.catalogue.features.map(([n]) => n).filter((n) => next.includes(n)) });
    };
    features.append(el("div", { class: "feature-row" }, [el("span", { text: label }), node]));
  }
  columns.append(features);
  // Hidden layers.
  c.layers.forEach((layer, h) => {
    const column = el("div", { class: "layer hidden-layer", "data-layer": h });
    const select = el("select", { title: "this layer's activation", "data-testid": `layer-activation-${h}` });
    fill(select, app.hello.catalogue.activations.map(([name]) => [name, name]));
    select.value = layer.activation;
    select.onchange = () => configure({ layers: c.layers.map((l, k) => (k === h ? { ...l, activation: select.value } : l)) });
    const plus = el("button", { class: "round tiny", title: "add a neuron", text: "+" });
    const minus = el("button", { class: "round tiny", title: "remove a neuron", text: "−" });
    plus.onclick = () => {
      if (layer.units >= app.hello.limits.max_neurons_per_layer) { showError(`at most ${app.hello.limits.max_neurons_per_layer} neurons per layer`); return; }
      configure({ layers: c.layers.map((l, k) => (k === h ? { ...l, units: l.units + 1 } : l)) });
    };
    minus.onclick = () => {
      if (layer.units <= 1) return;
      configure({ layers: c.layers.map((l, k) => (k === h ? { ...l, units: l.units - 1 } : l)) });
    };
    column.append(el("div", { class: "layer-head" }, [
      el("div", { class: "neuron-buttons" }, [plus, minus]),
      el("span", { text: `${layer.units} neuron${layer.units === 1 ? "" : "s"}` }),
      select,
    ]));
    for (let j = 0; j < layer.units; j++) {
      const node = el("div", { class: "node unit", "data-unit": j });
      node.append(el("canvas", { width: 20, height: 20 }));
      column.append(node);
    }
    columns.append(column);
  });
  // Output.
  const output = el("div", { class: "layer output-layer" });
  output.append(el("div", { class: "layer-head", text: c.loss === "mse" ? "output (tanh)" : "output (softmax)" }));
  const node = el("div", { class: "node output" });
  node.append(el("canvas", { width: 50, height: 50 }));
  output.append(node);
  columns.append(output);
  drawFeatureMaps();
}

function nodeCentres() {
  const network = $("network");
  const origin = network.getBoundingClientRect();
  const at = (node) => {
    const r = node.getBoundingClientRect();
    return { left: r.left - origin.left + network.scrollLeft, right: r.right - origin.left + network.scrollLeft, y: (r.top + r.bottom) / 2 - origin.top };
  };
  const c = app.config;
  const inputs = c.features.map((f) => at(document.querySelector(`.node.feature[data-feature="${f}"]`)));
  const layers = [inputs];
  document.querySelectorAll(".hidden-layer").forEach((column) => {
    layers.push([...column.querySelectorAll(".node.unit")].map(at));
  });
  layers.push([at(document.querySelector(".node.output"))]);
  return layers;
}

function drawLinks() {
  const frame = app.frame;
  const svg = $("links");
  if (!frame || !app.config) return;
  const network = $("network");
  svg.setAttribute("width", network.scrollWidth);
  svg.setAttribute("height", network.scrollHeight);
  const layers = nodeCentres();
  const paths = [];
  frame.weights.forEach((dense, k) => {
    const from = layers[k];
    const to = layers[k + 1];
    if (!from || !to) return;
    const last = k === frame.weights.length - 1;
    for (let j = 0; j < to.length; j++) {
      for (let i = 0; i < from.length; i++) {
        let w;
        if (!last) w = dense.weights[j * dense.inputs + i];
        else if (dense.outputs === 1) w = dense.weights[i];
        else if (dense.outputs === 2) w = dense.weights[dense.inputs + i] - dense.weights[i];
        else {
          w = 0;
          for (let o = 0; o < dense.outputs; o++) { const v = dense.weights[o * dense.inputs + i]; if (Math.abs(v) > Math.abs(w)) w = v; }
        }
        if (!Number.isFinite(w)) continue;
        const a = from[i], b = to[j];
        const x1 = a.right, x2 = b.left, mx = (x1 + x2) / 2;
        const width = Math.min(0.5 + Math.abs(w) * 2.5, 7).toFixed(2);
        const colour = w < 0 ? "#f59322" : "#0877bd";
        const opacity = Math.min(0.25 + Math.abs(w), 0.9).toFixed(2);
        paths.push(`<path d="M${x1},${a.y} C${mx},${a.y} ${mx},${b.y} ${x2},${b.y}" stroke="${colour}" stroke-width="${width}" stroke-opacity="${opacity}" fill="none"><title>weight ${w.toPrecision(3)}</title></path>`);
      }
    }
  });
  svg.innerHTML = paths.join("");
}

// ---------------------------------------------------------------- drawing helpers

function decode(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// byte 0..255 ↦ −1..1 ↦ orange … grey … blue.
function diverging(byte) {
  const v = byte / 127.5 - 1;
  return v < 0 ? mix(MID, NEG, -v) : mix(MID, POS, v);
}

function paintBytes(canvas, bytes, side, colourOf) {
  canvas.width = side;
  canvas.height = side;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const [r, g, b] = colourOf(i, bytes[i]);
    image.data[4 * i] = r; image.data[4 * i + 1] = g; image.data[4 * i + 2] = b; image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

function drawFeatureMaps() {
  // Inputs are fixed functions of (x1, x2): drawn here for every feature, on the same 20×20
  // grid the server uses for the neurons, scaled by each one's largest |value|.
  const fns = {
    x1: (a) => a, x2: (a, b) => b, x1_squared: (a) => a * a, x2_squared: (a, b) => b * b,
    x1_times_x2: (a, b) => a * b, sin_x1: (a) => Math.sin(a), sin_x2: (a, b) => Math.sin(b),
  };
  const side = 20;
  for (const node of document.querySelectorAll(".node.feature")) {
    const f = fns[node.dataset.feature];
    const values = [];
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
      values.push(f(-FRAME + (c + 0.5) * 2 * FRAME / side, FRAME - (r + 0.5) * 2 * FRAME / side));
    }
    const scale = Math.max(...values.map(Math.abs)) || 1;
    const bytes = values.map((v) => Math.round((v / scale + 1) * 127.5));
    paintBytes(node.querySelector("canvas"), bytes, side, (i, byte) => diverging(byte));
  }
}

function boundaryColour(boundary) {
  if (boundary.binary) return (i, byte) => diverging(byte);
  const classes = decode(boundary.classes);
  return (i, byte) => {
    const confidence = byte / 255; // the winner's probability
    return mix(MID, CLASS_COLOURS[classes[i] % CLASS_COLOURS.length], Math.max(0, (confidence - 0.3) / 0.7));
  };
}

function drawBoundary(frame) {
  const canvas = $("boundary");
  const side = frame.boundary.size;
  const bytes = decode(frame.boundary.values);
  const colour = boundaryColour(frame.boundary);
  const off = document.createElement("canvas");
  paintBytes(off, bytes, side, colour);
  const ctx = canvas.getContext("2d");
  const size = canvas.width;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, size, size);
  // Axes ticks.
  ctx.fillStyle = "rgba(0,0,0,0.45)";
  ctx.font = "18px sans-serif";
  for (const t of [-6, -3, 0, 3, 6]) {
    const x = (t + FRAME) / (2 * FRAME) * size;
    ctx.fillRect(x - 1, size - 8, 2, 8);
    ctx.fillRect(0, size - x - 1, 8, 2);
  }
  if (!app.data) return;
  const toPx = (p) => [(p[0] + FRAME) / (2 * FRAME) * size, (FRAME - p[1]) / (2 * FRAME) * size];
  const dot = (p, test) => {
    const [x, y] = toPx(p);
    const colour = app.data.n_classes === 2 ? (p[2] === 1 ? POS : NEG) : CLASS_COLOURS[p[2] % CLASS_COLOURS.length];
    ctx.beginPath();
    ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${colour.join(",")})`;
    ctx.fill();
    ctx.lineWidth = test ? 2.5 : 1.5;
    ctx.strokeStyle = test ? "#000" : "#fff";
    ctx.stroke();
  };
  for (const p of app.data.train) dot(p, false);
  if ($("show-test").checked) for (const p of app.data.test) dot(p, true);
}

// Sizes a canvas's pixels to its CSS box (times the screen's pixel ratio) and returns its
// context, drawing in CSS pixels.
function fitCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function drawChart(canvas, series, { log = false, yLabel = "" } = {}) {
  const ctx = fitCanvas(canvas);
  const W = canvas.clientWidth, H = canvas.clientHeight;
  ctx.clearRect(0, 0, W, H);
  const pad = { l: 46, r: 8, t: 8, b: 18 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const tf = (v) => (log ? Math.log10(v) : v);
  const ys = series.flatMap((s) => s.points.map((p) => p[1]).filter((v) => Number.isFinite(v) && (!log || v > 0)).map(tf));
  if (!xs.length || !ys.length) return;
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = log ? Math.floor(Math.min(...ys)) : 0, y1 = log ? Math.ceil(Math.max(...ys)) : Math.max(...ys);
  if (y1 <= y0) y1 = y0 + 1;
  const X = (x) => pad.l + (x - x0) / (x1 - x0) * (W - pad.l - pad.r);
  const Y = (y) => H - pad.b - (y - y0) / (y1 - y0) * (H - pad.t - pad.b);
  ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#888"; ctx.font = "11px sans-serif"; ctx.lineWidth = 1;
  const ticks = log ? Array.from({ length: y1 - y0 + 1 }, (_, k) => y0 + k).filter((_, k, a) => a.length <= 6 || k % Math.ceil(a.length / 6) === 0) : [y0, (y0 + y1) / 2, y1];
  for (const t of ticks) {
    ctx.beginPath(); ctx.moveTo(pad.l, Y(t)); ctx.lineTo(W - pad.r, Y(t)); ctx.stroke();
    ctx.fillText(log ? `1e${t}` : t.toPrecision(2), 2, Y(t) + 4);
  }
  ctx.textAlign = "right";
  ctx.fillText(`epoch ${Math.max(...xs)}`, W - pad.r, H - 4);
  ctx.textAlign = "left";
  if (yLabel) ctx.fillText(yLabel, pad.l + 4, pad.t + 10);
  for (const s of series) {
    ctx.strokeStyle = s.colour; ctx.lineWidth = s.width || 1.6;
    ctx.beginPath();
    let started = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y) || (log && y <= 0)) { started = false; continue; }
      if (!started) { ctx.moveTo(X(x), Y(tf(y))); started = true; } else ctx.lineTo(X(x), Y(tf(y)));
    }
    ctx.stroke();
  }
}

function layerColour(k, n) {
  const t = n <= 1 ? 1 : k / (n - 1);
  const [r, g, b] = mix([120, 190, 230], [20, 40, 90], t);
  return `rgb(${r | 0},${g | 0},${b | 0})`;
}

function fmt(v, digits = 3) {
  if (v === null || v === undefined || !Number.isFinite(v)) return "NaN";
  return Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(digits) : v.toExponential(2);
}

// ---------------------------------------------------------------- rendering a state

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => { renderQueued = false; render(); });
}

function render() {
  if (app.pendingFrame) { app.frame = app.pendingFrame; app.pendingFrame = null; }
  const frame = app.frame;
  if (!frame || !app.config) return;
  $("epoch").textContent = String(frame.epoch);
  const play = $("play");
  play.setAttribute("aria-pressed", String(frame.playing));
  const icon = frame.playing ? PAUSE_ICON : PLAY_ICON;
  if (play.dataset.icon !== String(frame.playing)) { play.innerHTML = icon; play.dataset.icon = String(frame.playing); }
  play.dataset.state = frame.playing ? "playing" : "paused";
  $("loss-train").textContent = fmt(frame.loss_train);
  $("loss-test").textContent = fmt(frame.loss_test);
  $("accuracy").textContent = Number.isFinite(frame.accuracy_train)
    ? `${(100 * frame.accuracy_train).toFixed(1)}% / ${Number.isFinite(frame.accuracy_test) ? (100 * frame.accuracy_test).toFixed(1) : "–"}%`
    : "–";
  const banner = $("banner");
  if (frame.divergence) {
    banner.textContent = `Training stopped: ${frame.divergence}. Lower the learning rate, then reset.`;
    banner.className = "banner";
  } else if (!banner.classList.contains("lost")) {
    banner.className = "banner hidden";
  }
  drawBoundary(frame);
  drawChart($("loss-chart"), [
    { colour: "#999", points: frame.history.map((p) => [p.epoch, p.test]) },
    { colour: "#222", points: frame.history.map((p) => [p.epoch, p.train]) },
  ]);
  renderNeurons(frame);
  drawLinks();
  renderGradientFlow(frame);
  renderUnits(frame);
  renderHistograms(frame);
}

function renderNeurons(frame) {
  const columns = document.querySelectorAll(".hidden-layer");
  frame.layers.forEach((layer, h) => {
    const column = columns[h];
    if (!column) return;
    const nodes = column.querySelectorAll(".node.unit");
    layer.maps.forEach((map, j) => {
      const node = nodes[j];
      if (!node) return;
      const bytes = decode(map);
      paintBytes(node.querySelector("canvas"), bytes, Math.round(Math.sqrt(bytes.length)), (i, b) => diverging(b));
      const dead = layer.dead.includes(j);
      node.classList.toggle("dead", dead);
      node.classList.toggle("saturated", !dead && layer.saturated.includes(j));
      node.title = `${layer.activation}, unit ${j + 1}${dead ? ": dead" : layer.saturated.includes(j) ? ": saturated" : ""}`;
    });
  });
  // The active inputs as the server computed them (the inactive ones keep the page's drawing).
  for (const feature of frame.features) {
    const canvas = document.querySelector(`.node.feature[data-feature="${feature.name}"] canvas`);
    if (canvas) paintBytes(canvas, decode(feature.map), 20, (i, b) => diverging(b));
  }
  const out = document.querySelector(".node.output canvas");
  if (out) paintBytes(out, decode(frame.boundary.values), frame.boundary.size, boundaryColour(frame.boundary));
}

function renderGradientFlow(frame) {
  const panel = $("gradient-flow");
  const n = frame.gradient_flow.length;
  while (panel.children.length > n) panel.lastChild.remove();
  while (panel.children.length < n) {
    const row = el("div", { class: "grad-row" }, [el("span", { class: "name" }), el("div", { class: "bar" }, [el("div")]), el("span", { class: "value" })]);
    panel.append(row);
  }
  const lo = -8, hi = 2; // log10 range of the bars
  frame.gradient_flow.forEach((layer, k) => {
    const row = panel.children[k];
    const norm = layer.weight_grad_norm;
    const activation = k < frame.layers.length ? ` (${frame.layers[k].units}, ${frame.layers[k].activation})` : "";
    row.dataset.layer = layer.name;
    row.dataset.norm = String(norm);
    row.querySelector(".name").textContent = `${layer.name}${activation}`;
    const t = norm > 0 ? (Math.log10(norm) - lo) / (hi - lo) : 0;
    const bar = row.querySelector(".bar div");
    bar.style.width = `${Math.max(0, Math.min(1, t)) * 100}%`;
    bar.style.background = layerColour(k, n);
    row.querySelector(".value").textContent = Number.isFinite(norm) ? norm.toExponential(2) : "NaN";
  });
  drawChart($("gradient-chart"), frame.gradient_flow.map((layer, k) => ({
    colour: layerColour(k, n),
    points: frame.history.map((p) => [p.epoch, p.grad_norms[k]]),
  })), { log: true });
  const ratio = frame.first_to_last_grad_ratio;
  $("grad-ratio").textContent = Number.isFinite(ratio)
    ? `first ÷ last layer: ${ratio.toExponential(2)}${ratio < 0.01 ? " — the gradient vanishes on its way to the input" : ratio > 1000 ? " — the gradient grows on its way to the input" : ""}`
    : "";
}

function renderUnits(frame) {
  $("dead-units").textContent = `${frame.dead_units} of ${frame.total_units} dead`;
  const rows = frame.layers.map((layer, h) => `<tr><td>hidden ${h + 1} (${escapeHtml(layer.activation)})</td>`
    + `<td class="${layer.dead.length ? "bad" : ""}">${layer.dead.length} / ${layer.units}</td>`
    + `<td>${layer.saturated.length}</td>`
    + `<td>${fmtPct(layer.saturated_fraction)}</td><td>${fmtPct(layer.zero_fraction)}</td></tr>`);
  $("unit-table").innerHTML = frame.layers.length
    ? `<table><thead><tr><th>layer</th><th>dead</th><th>saturated units</th><th>saturated values</th><th>exact zeros</th></tr></thead><tbody>${rows.join("")}</tbody></table>`
    : "<p class=\"hint\">No hidden layers: add one with +.</p>";
}

function fmtPct(v) { return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–"; }
function escapeHtml(s) { return String(s).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" }[ch])); }

function renderHistograms(frame) {
  const box = $("histograms");
  while (box.children.length > frame.layers.length) box.lastChild.remove();
  while (box.children.length < frame.layers.length) {
    box.append(el("div", { class: "histogram" }, [el("div", { class: "title" }), el("canvas", { width: 200, height: 80 }), el("div", { class: "axis" }, [el("span"), el("span")]), el("div", { class: "stats" })]));
  }
  frame.layers.forEach((layer, h) => {
    const item = box.children[h];
    const hist = layer.histogram;
    item.querySelector(".title").textContent = `hidden ${h + 1}: ${layer.activation}`;
    const canvas = item.querySelector("canvas");
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const counts = [hist.below, ...hist.counts, hist.above];
    const max = Math.max(1, ...counts);
    const bw = canvas.width / counts.length;
    counts.forEach((c, k) => {
      const outer = k === 0 || k === counts.length - 1;
      ctx.fillStyle = outer ? "#c9c9c9" : layerColour(h, frame.layers.length);
      const height = (c / max) * (canvas.height - 4);
      ctx.fillRect(k * bw + 1, canvas.height - height, bw - 2, height);
    });
    const [left, right] = item.querySelectorAll(".axis span");
    left.textContent = `< ${hist.lo}`;
    right.textContent = `> ${hist.hi}`;
    item.querySelector(".stats").textContent = `mean ${fmt(layer.mean, 2)}, std ${fmt(layer.std, 2)}, saturated ${fmtPct(layer.saturated_fraction)}`;
  });
}

// ---------------------------------------------------------------- start

wireControls();
connect();
