"use strict";
// cnnlab explore: the page.
//
// One plain script, no framework and no build step: read it top to bottom.
// The server (src/cnnlab/explore) computes everything; this page only asks and shows.
// Every question is an HTTP request to /api/...; numbers come back as JSON, pictures as PNG.
// The sections below follow the page: helpers, the model and the network, the input,
// the prediction, a layer (maps, kernels, receptive field), pooling, Grad-CAM, filters.

// ---------------------------------------------------------------- helpers

// The server hands out a random token in the page's URL; every API call must carry it.
const TOKEN = new URLSearchParams(location.search).get("token") || "";

const state = {
  model: null, // the answer of /api/model
  layers: {}, // layer name -> its row of /api/model
  steps: {}, // layer name -> the layers drawn as one step of the schematic ("conv + ReLU")
  version: 0, // increases with every new input; image URLs carry it to defeat the cache
  prediction: [], // [{class, index, probability}], most likely first
  layer: null, // the selected layer's name
  mapsLayout: null, // the mosaic layout of the selected layer's maps
  layerVersion: 0, // the input whose maps are shown
  unit: null, // the clicked unit: {channel, row, col}
  tab: "layer",
  pooling: null, // the answer of /api/pooling being shown
  poolStep: -1, // the last window done (-1: none yet)
};

let pending = 0; // requests and image loads under way (tests wait for 0)

const $ = (id) => document.getElementById(id);

function api(path, params = {}) {
  const query = new URLSearchParams({ ...params, token: TOKEN });
  return `${path}?${query}`;
}

// Ask the server; answer its JSON, or throw its error message.
async function request(path, params = {}, options = {}) {
  pending += 1;
  try {
    const response = await fetch(api(path, params), options);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || `${response.status} ${response.statusText}`);
    }
    return body;
  } finally {
    pending -= 1;
  }
}

function postJSON(path, body) {
  return request(path, {}, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

// Point an <img> at a PNG of the server and wait until it is decoded.
async function showImage(img, path, params = {}) {
  pending += 1;
  try {
    img.src = api(path, params);
    await img.decode();
  } finally {
    pending -= 1;
  }
  return img;
}

function loadPicture(path, params = {}) {
  return showImage(new Image(), path, params);
}

function say(message, isError = false) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// Run an action; show its error on the page instead of the console.
function guarded(action) {
  return async (...args) => {
    if ($("status").classList.contains("error")) say(""); // a new action: the old error goes
    try {
      await action(...args);
    } catch (error) {
      say(error.message, true);
    }
  };
}

// Numbers as a student writes them: integers plainly, the rest with two decimals.
function formatNumber(x) {
  if (x === null || x === undefined) return "";
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1000 ? x.toExponential(2) : x.toFixed(2);
}

function formatCount(n) {
  return n.toLocaleString("en-US");
}

// A model of signals (C, L) rather than images (C, H, W): its maps are single rows.
function isSignal() {
  return state.model.input_shape.length === 2;
}

function setBox(element, box, whenNone = "none") {
  for (const side of ["top", "left", "bottom", "right"]) {
    if (box) element.dataset[side] = box[side];
    else delete element.dataset[side];
  }
  if (!box) element.textContent = whenNone;
  else if (isSignal()) element.textContent = `samples ${box.left} to ${box.right}`;
  else element.textContent = `rows ${box.top} to ${box.bottom}, columns ${box.left} to ${box.right}`;
}

// Show an image as large as fits `maxWidth` x `maxHeight`: small ones at a whole-number
// zoom (each pixel a clean square), large ones shrunk.
function zoomToFit(img, maxWidth, maxHeight, minHeight = 0) {
  const width = img.naturalWidth;
  const height = img.naturalHeight;
  const fit = Math.min(maxWidth / width, maxHeight / height);
  const zoom = fit >= 1 ? Math.floor(fit) : fit;
  img.style.width = `${width * zoom}px`;
  img.style.height = `${Math.max(height * zoom, minHeight)}px`;
}

function fillSelect(select, options) {
  select.replaceChildren();
  for (const [value, label] of options) {
    select.append(new Option(label, value));
  }
}

// ---------------------------------------------------------------- the model and the network

async function loadModel() {
  const model = await request("/api/model");
  state.model = model;
  for (const layer of model.layers) state.layers[layer.name] = layer;
  const [, height, width] = model.input_shape;
  $("model-name").textContent =
    `${model.name} · input ${model.input_shape.join("×")} · ${model.classes.length} classes`;
  document.title = `cnnlab explore · ${model.name}`;

  fillSelect($("examples"), [["", "choose…"], ...model.examples.map((e) => [e.id, exampleLabel(e)])]);
  $("drawing").hidden = !model.drawable;
  if (model.drawable) preparePad(height, width);

  makeLayerChips(model.layers);
  fillSelect($("pool-layer"), model.layers.filter((l) => l.pooling).map((l) => [l.name, layerLabel(l)]));
  const camLayers = model.layers.filter((l) => l.gradcam);
  fillSelect($("cam-layer"), camLayers.map((l) => [l.name, layerLabel(l)]));
  // Grad-CAM's usual choice: the last convolutional stage (not a pooling after it).
  const lastStage = camLayers.filter((l) => !l.pooling).pop() || camLayers[camLayers.length - 1];
  if (lastStage) $("cam-layer").value = lastStage.name;
  fillSelect($("cam-class"), [["", "the predicted class"],
    ...model.classes.map((name, k) => [String(k), `${k}: ${name}`])]);
  fillSelect($("filter-name"), [...model.filters.map((f) => [f, f]),
    ["custom3", "your own 3×3"], ["custom5", "your own 5×5"]]);
  try {
    await loadSchematic();
  } catch (error) {
    // The layer chips below still let you choose every layer.
    $("schematic-frame").hidden = true;
    say(`No schematic: ${error.message}`, true);
  }
}

function exampleLabel(example) {
  const test = example.id.match(/^test-(\d+)$/);
  return test ? `test image ${test[1]}: ${example.label}` : example.label;
}

function layerLabel(layer) {
  return `${layer.name} · ${layer.kind}`;
}

async function loadSchematic() {
  const [layout] = await Promise.all([
    request("/api/schematic"),
    showImage($("schematic"), "/api/schematic.png"),
  ]);
  // Regions are in the PNG's pixels; percentages keep them on their layer at any zoom.
  const regions = $("regions");
  regions.replaceChildren();
  for (const region of layout.regions) {
    const box = document.createElement("button");
    box.type = "button";
    box.className = "region";
    box.dataset.layer = region.layer; // the step's last layer: the box shows its output
    const step = region.layers || [region.layer];
    for (const name of step) state.steps[name] = step;
    box.setAttribute("aria-label", `layer ${step.join(" + ")}`);
    box.style.left = `${(100 * region.x0) / layout.width}%`;
    box.style.top = `${(100 * region.y0) / layout.height}%`;
    box.style.width = `${(100 * (region.x1 - region.x0)) / layout.width}%`;
    box.style.height = `${(100 * (region.y1 - region.y0)) / layout.height}%`;
    hookLayerButton(box, region.layer);
    regions.append(box);
  }
}

function makeLayerChips(layers) {
  const chips = $("layer-chips");
  chips.replaceChildren();
  for (const layer of layers) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.dataset.layer = layer.name;
    chip.textContent = layerLabel(layer);
    hookLayerButton(chip, layer.name);
    chips.append(chip);
  }
}

function hookLayerButton(button, name) {
  button.addEventListener("click", guarded(() => selectLayer(name)));
  button.addEventListener("mouseenter", () => showTooltip(button, name));
  button.addEventListener("mouseleave", () => ($("tooltip").hidden = true));
}

function describeField(field) {
  if (!field) return "unknown";
  return `size ${field.size.join("×")}, jump ${field.jump.join("×")}, ` +
    `start ${field.start.join(", ")}`;
}

function showTooltip(anchor, name) {
  const tip = $("tooltip");
  tip.replaceChildren();
  // A region of the schematic stands for its whole step (a conv and its ReLU); a chip for one layer.
  const names = anchor.classList.contains("region") ? state.steps[name] || [name] : [name];
  if (names.length > 3) {
    showStepTooltip(tip, names);
    placeTooltip(tip, anchor);
    return;
  }
  for (const layerName of names) {
    const layer = state.layers[layerName];
    if (!layer) continue;
    const block = document.createElement("div");
    block.className = "tip-layer";
    const rows = [
      ["layer", `${layer.name} · ${layer.kind}${layer.args ? `(${layer.args})` : ""}`],
      ["output", layer.output_shape.join("×")],
      ["parameters", formatCount(layer.params)],
      ["MACs", formatCount(layer.macs)],
      ["receptive field", describeField(layer.receptive_field)],
    ];
    for (const [key, value] of rows) {
      const line = document.createElement("div");
      const label = document.createElement("b");
      label.textContent = `${key} `;
      line.append(label, value);
      block.append(line);
    }
    tip.append(block);
  }
  placeTooltip(tip, anchor);
}

// A step of many layers (a residual block): one line per layer, then the step's totals.
function showStepTooltip(tip, names) {
  const layers = names.map((n) => state.layers[n]).filter(Boolean);
  for (const layer of layers) {
    const line = document.createElement("div");
    const label = document.createElement("b");
    label.textContent = `${layer.name} `;
    line.append(label, `${layer.kind} → ${layer.output_shape.join("×")}`);
    tip.append(line);
  }
  const total = document.createElement("div");
  total.className = "tip-layer";
  const sum = (key) => formatCount(layers.reduce((acc, l) => acc + l[key], 0));
  const last = layers[layers.length - 1];
  total.textContent = `together: ${sum("params")} parameters, ${sum("macs")} MACs; ` +
    `receptive field ${describeField(last.receptive_field)}`;
  tip.append(total);
}

function placeTooltip(tip, anchor) {
  const where = anchor.getBoundingClientRect();
  tip.style.left = `${Math.max(8, Math.min(where.left, window.innerWidth - 380) + window.scrollX)}px`;
  tip.style.top = `${where.bottom + window.scrollY + 6}px`;
  tip.hidden = false;
}

async function selectLayer(name) {
  state.layer = name;
  state.unit = null;
  // Mark the chip, and the schematic's box of the step that holds the layer.
  const step = state.steps[name] || [name];
  for (const button of document.querySelectorAll("[data-layer]")) {
    const mine = button.classList.contains("region") ? step.includes(button.dataset.layer) : false;
    button.classList.toggle("selected", button.dataset.layer === name || mine);
  }
  const layer = state.layers[name];
  // Stay on the pooling or Grad-CAM tab when the layer makes sense there.
  if (state.tab === "pooling" && layer.pooling) {
    $("pool-layer").value = name;
    return loadPooling();
  }
  if (state.tab === "gradcam" && layer.gradcam) {
    $("cam-layer").value = name;
    return showGradcam();
  }
  showTab("layer");
  await showLayer();
}

// ---------------------------------------------------------------- the input

async function setInput(body) {
  const answer = await postJSON("/api/input", body);
  await newInput(answer);
}

async function uploadFile(file) {
  if (!file) return;
  if (file.size > 8 * 1024 * 1024) {
    throw new Error(`${file.name} is larger than 8 MiB; choose a smaller image.`);
  }
  say(`reading ${file.name}…`);
  const answer = await request("/api/input", {}, {
    method: "POST",
    headers: { "Content-Type": file.type || "application/octet-stream" },
    body: file,
  });
  clearPad();
  $("examples").value = "";
  await newInput(answer);
  say(`${file.name} is the input now.`);
}

// A new input: the prediction, the input image, and whatever view is open, all follow it.
async function newInput(answer) {
  state.version = answer.version;
  showPrediction(answer.prediction, answer.output);
  const jobs = [showImage($("input-image"), "/api/input.png", { v: state.version })];
  $("input-image").classList.toggle("signal", isSignal());
  $("save-input").href = api("/api/input.png", { v: state.version });
  if (state.tab === "layer" && state.layer) jobs.push(showLayer(state.unit));
  if (state.tab === "pooling" && state.pooling && !state.pooling.example) jobs.push(loadPooling());
  if (state.tab === "gradcam") jobs.push(showGradcam());
  if (state.tab === "filters") jobs.push(applyFilter());
  await Promise.all(jobs);
}

function hookInput() {
  $("examples").addEventListener("change", guarded(async (event) => {
    if (!event.target.value) return;
    clearPad();
    await setInput({ example: event.target.value });
  }));
  $("upload").addEventListener("change", guarded(async (event) => {
    const file = event.target.files[0];
    event.target.value = ""; // so that choosing the same file again is a change too
    await uploadFile(file);
  }));
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", guarded(async (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    await uploadFile(event.dataTransfer.files[0]);
  }));
}

// ---------------------------------------------------------------- drawing

// The pad is drawn large, then shrunk to the model's H x W: 1 = ink, 0 = paper.
const pad = { height: 0, width: 0, drawing: false, last: null, timer: null, busy: false, again: false, sentAt: 0 };

function preparePad(height, width) {
  pad.height = height;
  pad.width = width;
  const canvas = $("pad");
  const zoom = Math.max(1, Math.floor(280 / Math.max(height, width)));
  canvas.width = width * zoom;
  canvas.height = height * zoom;
  clearPad();
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    pad.drawing = true;
    pad.last = padPoint(event);
    stroke(pad.last, pad.last);
    sendDrawingSoon();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!pad.drawing) return;
    const point = padPoint(event);
    stroke(pad.last, point);
    pad.last = point;
    sendDrawingSoon();
  });
  const finish = () => {
    if (!pad.drawing) return;
    pad.drawing = false;
    sendDrawingNow(); // the end of a stroke: send it at once
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  $("clear-pad").addEventListener("click", () => {
    clearPad();
    sendDrawingNow();
  });
}

function padPoint(event) {
  const canvas = $("pad");
  const where = canvas.getBoundingClientRect();
  return {
    x: ((event.clientX - where.left) * canvas.width) / where.width,
    y: ((event.clientY - where.top) * canvas.height) / where.height,
  };
}

function stroke(from, to) {
  const canvas = $("pad");
  const context = canvas.getContext("2d");
  context.strokeStyle = "#1d2433";
  context.lineCap = "round";
  context.lineJoin = "round";
  // The pen is about two input pixels wide (MNIST digits are drawn that way).
  context.lineWidth = (Number($("brush").value) * canvas.width) / pad.width;
  context.beginPath();
  context.moveTo(from.x, from.y);
  context.lineTo(to.x, to.y);
  context.stroke();
}

function clearPad() {
  const canvas = $("pad");
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
}

// The drawing as the model's H x W array: shrink the pad (the browser averages the pixels).
function readPad() {
  const small = document.createElement("canvas");
  small.width = pad.width;
  small.height = pad.height;
  const context = small.getContext("2d");
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage($("pad"), 0, 0, pad.width, pad.height);
  const pixels = context.getImageData(0, 0, pad.width, pad.height).data;
  const rows = [];
  for (let i = 0; i < pad.height; i += 1) {
    const row = [];
    for (let j = 0; j < pad.width; j += 1) {
      const red = pixels[4 * (i * pad.width + j)];
      row.push(Math.round((1 - red / 255) * 1000) / 1000);
    }
    rows.push(row);
  }
  return rows;
}

// While the pen moves, send the drawing at most every 150 ms, one request at a time.
function sendDrawingSoon() {
  if (pad.timer) return;
  const wait = Math.max(0, 150 - (performance.now() - pad.sentAt));
  pad.timer = setTimeout(() => {
    pad.timer = null;
    sendDrawingNow();
  }, wait);
}

async function sendDrawingNow() {
  clearTimeout(pad.timer);
  pad.timer = null;
  if (pad.busy) {
    pad.again = true; // send once more when the answer is in
    return;
  }
  pad.busy = true;
  pad.sentAt = performance.now();
  pending += 1;
  try {
    $("examples").value = "";
    await setInput({ drawing: readPad() });
  } catch (error) {
    say(error.message, true);
  } finally {
    pending -= 1;
    pad.busy = false;
  }
  if (pad.again) {
    pad.again = false;
    sendDrawingNow();
  }
}

// ---------------------------------------------------------------- the prediction

function showPrediction(prediction, output = null) {
  state.prediction = prediction;
  const list = $("prediction");
  list.replaceChildren();
  for (const entry of prediction.slice(0, 10)) {
    const item = document.createElement("li");
    item.dataset.class = entry.class;
    item.dataset.index = entry.index;
    item.dataset.probability = entry.probability;
    const name = document.createElement("span");
    name.className = "class-name";
    name.textContent = entry.class;
    const bar = document.createElement("span");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.style.width = `${(100 * entry.probability).toFixed(1)}%`;
    bar.append(fill);
    const value = document.createElement("span");
    value.className = "probability";
    value.textContent = `${(100 * entry.probability).toFixed(1)}%`;
    item.append(name, bar, value);
    list.append(item);
  }
  if (!prediction.length && output) {
    // a model that is no classifier: its output numbers
    output.forEach((value, k) => {
      const item = document.createElement("li");
      item.textContent = `output ${k}: ${formatNumber(value)}`;
      list.append(item);
    });
  }
  list.dataset.version = state.version;
  $("cam-class").options[0].textContent =
    prediction.length ? `the predicted class (${prediction[0].class})` : "the predicted class";
}

// ---------------------------------------------------------------- a layer

async function showLayer(unit = null) {
  const layer = state.layers[state.layer];
  $("layer-title").textContent =
    `Layer ${layer.name} · ${layer.kind}${layer.args ? `(${layer.args})` : ""}`;
  $("layer-info").textContent =
    `output ${layer.output_shape.join("×")} · ${formatCount(layer.params)} parameters · ` +
    `${formatCount(layer.macs)} MACs · receptive field ${describeField(layer.receptive_field)}`;
  const hasMaps = layer.maps || layer.output_shape.length === 2;
  // A ReLU drawn with its conv as one step shows the kernels of that conv.
  const step = state.steps[layer.name] || [layer.name];
  const convolution = layer.kernels ? layer.name : step.find((n) => state.layers[n].kernels);
  $("maps-block").hidden = !hasMaps;
  $("kernels-block").hidden = !convolution;
  $("field-block").hidden = true;
  const jobs = [];
  if (hasMaps) jobs.push(showMaps(layer.name));
  if (convolution) jobs.push(showKernels(convolution));
  await Promise.all(jobs);
  if (unit && state.layer === layer.name) await showField(unit);
}

async function showMaps(name) {
  const params = { layer: name, v: state.version };
  const [layout] = await Promise.all([
    request("/api/layer", { layer: name }),
    showImage($("maps"), "/api/layer/maps.png", params),
  ]);
  if (state.layer !== name) return; // another layer was chosen meanwhile
  state.mapsLayout = layout;
  state.layerVersion = state.version;
  const img = $("maps");
  zoomToFit(img, 680, 420, layout.height === 1 ? 28 : 0);
  if (layout.height === 1 && layout.width > 1) {
    // maps of a signal: stretch each one-pixel row into a band that a finger can hit
    img.style.height = `${Math.min(420, img.naturalHeight * 10)}px`;
  }
  const mark = $("maps-mark");
  mark.width = img.clientWidth;
  mark.height = img.clientHeight;
  markUnit();
  $("maps-heading").textContent = layout.height * layout.width === 1
    ? "Outputs, one per feature" : "Activation maps";
  $("maps-range").textContent =
    (layout.height * layout.width === 1
      ? `${layout.channels} features; `
      : `${layout.channels} channels of ${layout.height}×${layout.width}; `) +
    `values from ${formatNumber(layout.min)} (dark) to ${formatNumber(layout.max)} (bright)`;
  $("save-maps").href = api("/api/layer/maps.png", params);
  $("save-maps").download = `maps_layer_${name}.png`;
}

async function showKernels(name) {
  const [layout] = await Promise.all([
    request("/api/layer/kernels", { layer: name }),
    showImage($("kernels"), "/api/layer/kernels.png", { layer: name }),
  ]);
  $("kernels-title").textContent =
    `Kernels of layer ${name}: ${layout.out_channels} × ${layout.in_channels} of ` +
    `${layout.tile.join("×")}, from ${formatNumber(layout.min)} (dark) to ` +
    `${formatNumber(layout.max)} (bright)`;
  zoomToFit($("kernels"), 680, 260);
  $("save-kernels").href = api("/api/layer/kernels.png", { layer: name });
  $("save-kernels").download = `kernels_layer_${name}.png`;
}

// Which unit is under a click on the mosaic? (tile pixel (i, j) -> unit (c, i*H//h, j*W//w))
function unitAt(event) {
  const layout = state.mapsLayout;
  const img = $("maps");
  const x = Math.floor((event.offsetX * img.naturalWidth) / img.clientWidth);
  const y = Math.floor((event.offsetY * img.naturalHeight) / img.clientHeight);
  const [tileHeight, tileWidth] = layout.tile;
  const column = Math.floor(x / (tileWidth + layout.gap));
  const row = Math.floor(y / (tileHeight + layout.gap));
  // A click on the gap after a tile counts for that tile (a vector's tiles are 1 pixel wide).
  const i = Math.min(y - row * (tileHeight + layout.gap), tileHeight - 1);
  const j = Math.min(x - column * (tileWidth + layout.gap), tileWidth - 1);
  const channel = row * layout.columns + column;
  if (column >= layout.columns || channel >= layout.channels) return null;
  return {
    channel,
    row: Math.floor((i * layout.height) / tileHeight),
    col: Math.floor((j * layout.width) / tileWidth),
  };
}

// Outline the chosen unit on the mosaic.
function markUnit() {
  const mark = $("maps-mark");
  const context = mark.getContext("2d");
  context.clearRect(0, 0, mark.width, mark.height);
  const layout = state.mapsLayout;
  const unit = state.unit;
  if (!unit || !layout) return;
  const img = $("maps");
  const zoomX = img.clientWidth / img.naturalWidth;
  const zoomY = img.clientHeight / img.naturalHeight;
  const [tileHeight, tileWidth] = layout.tile;
  const top = Math.floor(unit.channel / layout.columns) * (tileHeight + layout.gap);
  const left = (unit.channel % layout.columns) * (tileWidth + layout.gap);
  const unitHeight = tileHeight / layout.height;
  const unitWidth = tileWidth / layout.width;
  context.strokeStyle = "#ff7a1a";
  context.lineWidth = 2;
  context.strokeRect(
    (left + unit.col * unitWidth) * zoomX - 1,
    (top + unit.row * unitHeight) * zoomY - 1,
    unitWidth * zoomX + 2,
    unitHeight * zoomY + 2,
  );
}

async function showField(unit) {
  const name = state.layer;
  const params = { layer: name, channel: unit.channel, row: unit.row, col: unit.col };
  const [field, input, gradient] = await Promise.all([
    request("/api/field", params),
    loadPicture("/api/input.png", { v: state.version }),
    loadPicture("/api/field/gradient.png", { ...params, v: state.version }),
  ]);
  if (state.layer !== name) return;
  state.unit = unit;
  markUnit();
  const isVector = state.mapsLayout && state.mapsLayout.height * state.mapsLayout.width === 1;
  if (isVector) $("unit-name").textContent = `layer ${name}, feature ${unit.channel}`;
  else if (isSignal()) {
    $("unit-name").textContent = `layer ${name}, channel ${unit.channel}, position ${unit.col}`;
  } else {
    $("unit-name").textContent =
      `layer ${name}, channel ${unit.channel}, row ${unit.row}, column ${unit.col}`;
  }
  Object.assign($("unit-name").dataset, { channel: unit.channel, row: unit.row, col: unit.col });
  drawBox($("field-analytic-canvas"), input, field.analytic, field.clipped);
  drawBox($("field-empirical-canvas"), gradient, field.empirical, field.gradient);
  setBox($("field-analytic"), field.analytic, "unknown for this layer");
  setBox($("field-empirical"), field.empirical, "not measured (a large model)");
  setBox($("field-gradient"), field.gradient, "no sample (the unit is switched off)");
  $("field-block").hidden = false;
}

// The picture, zoomed, with the box of input rows/cols drawn over it (inclusive bounds).
// `full` may reach past the input (padding): it is drawn dashed; `inside` is drawn solid.
function drawBox(canvas, picture, full, inside) {
  const zoom = Math.max(1, Math.floor(224 / Math.max(picture.width, picture.height)));
  const zoomY = picture.height === 1 ? 32 : zoom; // a signal: one row, drawn as a band
  canvas.width = picture.width * zoom;
  canvas.height = picture.height * zoomY;
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(picture, 0, 0, canvas.width, canvas.height);
  const rectangle = (box) => [
    box.left * zoom,
    box.top * zoomY,
    (box.right - box.left + 1) * zoom,
    (box.bottom - box.top + 1) * zoomY,
  ];
  if (inside) {
    context.fillStyle = "rgba(255, 122, 26, 0.12)";
    context.fillRect(...rectangle(inside));
    context.strokeStyle = "#ff7a1a";
    context.lineWidth = 2;
    context.strokeRect(...rectangle(inside));
  }
  if (full) {
    context.setLineDash([4, 3]);
    context.strokeStyle = "#ff7a1a";
    context.lineWidth = 1;
    context.strokeRect(...rectangle(full));
    context.setLineDash([]);
  }
  canvas.dataset.zoom = zoom;
}

// One PNG of both receptive-field pictures, side by side.
function saveField(event) {
  const left = $("field-analytic-canvas");
  const right = $("field-empirical-canvas");
  const both = document.createElement("canvas");
  both.width = left.width + 16 + right.width;
  both.height = Math.max(left.height, right.height);
  const context = both.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, both.width, both.height);
  context.drawImage(left, 0, 0);
  context.drawImage(right, left.width + 16, 0);
  event.currentTarget.href = both.toDataURL("image/png");
}

function hookLayer() {
  $("maps").addEventListener("click", guarded(async (event) => {
    const unit = unitAt(event);
    if (unit) await showField(unit);
  }));
  $("save-field").addEventListener("click", saveField);
}

// ---------------------------------------------------------------- pooling

async function loadPooling(example = null) {
  const params = example
    ? { example }
    : { layer: $("pool-layer").value, channel: $("pool-channel").value, v: state.version };
  if (!example && !params.layer) {
    $("pool-info").textContent = "This network has no pooling layer; try the 6x6 example.";
    return;
  }
  const key = JSON.stringify(params);
  if (state.pooling && state.pooling.key === key) return; // shown already (a second "change")
  const pooling = await request("/api/pooling", params);
  pooling.example = example;
  pooling.key = key;
  state.pooling = pooling;
  stopPlaying();
  const where = example
    ? "the lecture's 6×6 example"
    : `layer ${params.layer}, channel ${params.channel} (top-left corner, at most 16×16)`;
  $("pool-info").textContent =
    `${pooling.kind} pooling, kernel ${pooling.kernel.join("×")}, stride ` +
    `${pooling.stride.join("×")}, padding ${pooling.padding.join("×")} on ${where}`;
  numberTable($("pool-input"), pooling.input);
  numberTable($("pool-output"), pooling.output.map((row) => row.map(() => null)));
  showPoolStep(-1);
}

function numberTable(table, rows) {
  table.replaceChildren();
  rows.forEach((values, i) => {
    const line = table.insertRow();
    values.forEach((value, j) => {
      const cell = line.insertCell();
      cell.dataset.row = i;
      cell.dataset.col = j;
      if (value !== null) {
        cell.dataset.value = value;
        cell.textContent = formatNumber(value);
      }
    });
  });
}

// Show the first `step + 1` windows done: the last one highlighted, its output written.
function showPoolStep(step) {
  const pooling = state.pooling;
  state.poolStep = step;
  const inputs = $("pool-input");
  for (const cell of inputs.querySelectorAll("td")) cell.className = "";
  const outputs = $("pool-output");
  pooling.windows.forEach((window, k) => {
    const [i, j] = window.out;
    const cell = outputs.rows[i].cells[j];
    cell.className = k === step ? "current" : "";
    if (k <= step) {
      cell.dataset.value = pooling.output[i][j];
      cell.textContent = formatNumber(pooling.output[i][j]);
    } else {
      delete cell.dataset.value;
      cell.textContent = "";
    }
  });
  const window = pooling.windows[step];
  if (!window) {
    $("pool-explain").textContent = step < 0 ? "Press Play or Step." : "Done.";
    return;
  }
  const seen = [];
  for (let r = window.top; r <= window.bottom; r += 1) {
    for (let c = window.left; c <= window.right; c += 1) {
      const cell = inputs.rows[r] && inputs.rows[r].cells[c];
      if (!cell) continue; // padding, or outside the shown corner
      cell.className = "window";
      seen.push(formatNumber(pooling.input[r][c]));
    }
  }
  if (window.argmax) {
    const [r, c] = window.argmax;
    const cell = inputs.rows[r] && inputs.rows[r].cells[c];
    if (cell) cell.className = "window chosen";
  } else if (pooling.kind === "avg") {
    for (const cell of inputs.querySelectorAll("td.window")) cell.classList.add("chosen");
  }
  const [i, j] = window.out;
  const verb = pooling.kind === "max" ? "max" : "mean";
  $("pool-explain").textContent =
    `output (${i}, ${j}) = ${verb}(${seen.join(", ")}) = ${formatNumber(pooling.output[i][j])}`;
}

let playing = null;

function stopPlaying() {
  clearInterval(playing);
  playing = null;
  $("pool-play").textContent = "Play";
}

function togglePlaying() {
  if (playing) return stopPlaying();
  if (!state.pooling) return;
  if (state.poolStep >= state.pooling.windows.length - 1) showPoolStep(-1);
  $("pool-play").textContent = "Pause";
  playing = setInterval(() => {
    if (state.poolStep >= state.pooling.windows.length - 1) return stopPlaying();
    showPoolStep(state.poolStep + 1);
  }, 500);
}

// The two tables as they are shown (colours included), as one PNG.
function savePooling(event) {
  const tables = [$("pool-input"), $("pool-output")];
  const cell = 34;
  const gap = 24;
  const widths = tables.map((t) => (t.rows[0] ? t.rows[0].cells.length : 0) * cell);
  const canvas = document.createElement("canvas");
  canvas.width = widths[0] + gap + widths[1] + 2;
  canvas.height = Math.max(...tables.map((t) => t.rows.length * cell)) + 2;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.font = "13px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  tables.forEach((table, k) => {
    const left = k === 0 ? 1 : widths[0] + gap + 1;
    [...table.rows].forEach((row, i) => {
      [...row.cells].forEach((td, j) => {
        const style = getComputedStyle(td);
        const x = left + j * cell;
        const y = 1 + i * cell;
        context.fillStyle = style.backgroundColor === "rgba(0, 0, 0, 0)" ? "#ffffff" : style.backgroundColor;
        context.fillRect(x, y, cell, cell);
        context.strokeStyle = td.classList.contains("current") ? "#ff7a1a" : "#e2e5ea";
        context.strokeRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
        context.fillStyle = style.color;
        context.fillText(td.textContent, x + cell / 2, y + cell / 2);
      });
    });
  });
  event.currentTarget.href = canvas.toDataURL("image/png");
}

function hookPooling() {
  $("save-pooling").addEventListener("click", savePooling);
  $("pool-layer").addEventListener("change", guarded(() => loadPooling()));
  $("pool-channel").addEventListener("change", guarded(() => loadPooling()));
  $("pool-example").addEventListener("click", guarded(() => loadPooling("pool6x6")));
  $("pool-play").addEventListener("click", togglePlaying);
  $("pool-step").addEventListener("click", () => {
    stopPlaying();
    if (state.pooling) showPoolStep(Math.min(state.poolStep + 1, state.pooling.windows.length));
  });
  $("pool-end").addEventListener("click", () => {
    stopPlaying();
    if (state.pooling) showPoolStep(state.pooling.windows.length - 1);
  });
  $("pool-reset").addEventListener("click", () => {
    stopPlaying();
    if (state.pooling) showPoolStep(-1);
  });
}

// ---------------------------------------------------------------- Grad-CAM

async function showGradcam() {
  const layer = $("cam-layer").value;
  if (!layer) {
    $("cam-info").textContent = "No layer of this network has a spatial map for Grad-CAM.";
    return;
  }
  const params = { layer, v: state.version };
  if ($("cam-class").value !== "") params.target = $("cam-class").value;
  const [answer] = await Promise.all([
    request("/api/gradcam", params),
    showImage($("cam-heat"), "/api/gradcam.png", params),
    showImage($("cam-heat-plain"), "/api/gradcam.png", params),
    showImage($("cam-input"), "/api/input.png", { v: state.version }),
    showImage($("cam-plain"), "/api/input.png", { v: state.version }),
  ]);
  $("cam-info").textContent =
    `Where layer ${layer} holds the evidence for class ${answer.target} (“${answer.class}”)` +
    (answer.max !== undefined ? `; black 0, pale yellow ${formatNumber(answer.max)}.` : ".");
  $("cam-info").dataset.target = answer.target;
  const side = Math.max(1, Math.floor(224 / Math.max(...state.model.input_shape.slice(1))));
  for (const img of [$("cam-input"), $("cam-heat"), $("cam-plain"), $("cam-heat-plain")]) {
    img.style.width = `${state.model.input_shape[2] * side}px`;
    img.style.height = `${state.model.input_shape[1] * side}px`;
  }
  $("cam-heat").style.opacity = $("cam-opacity").value;
}

// The overlay as one PNG: the input, then the heat map at the chosen opacity.
function saveGradcam(event) {
  const input = $("cam-input");
  const heat = $("cam-heat");
  const canvas = document.createElement("canvas");
  canvas.width = input.clientWidth;
  canvas.height = input.clientHeight;
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(input, 0, 0, canvas.width, canvas.height);
  context.globalAlpha = Number($("cam-opacity").value);
  context.imageSmoothingEnabled = true;
  context.drawImage(heat, 0, 0, canvas.width, canvas.height);
  event.currentTarget.href = canvas.toDataURL("image/png");
}

function hookGradcam() {
  $("cam-layer").addEventListener("change", guarded(showGradcam));
  $("cam-class").addEventListener("change", guarded(showGradcam));
  $("cam-opacity").addEventListener("input", () => {
    $("cam-heat").style.opacity = $("cam-opacity").value;
  });
  $("save-cam").addEventListener("click", saveGradcam);
}

// ---------------------------------------------------------------- filters

function kernelGrid(size) {
  const grid = $("kernel-grid");
  grid.replaceChildren();
  for (let i = 0; i < size; i += 1) {
    const line = grid.insertRow();
    for (let j = 0; j < size; j += 1) {
      const entry = document.createElement("input");
      entry.type = "number";
      entry.step = "any";
      entry.value = i === (size - 1) / 2 && j === (size - 1) / 2 ? "1" : "0"; // identity
      entry.addEventListener("change", guarded(applyFilter));
      line.insertCell().append(entry);
    }
  }
}

function typedKernel() {
  return [...$("kernel-grid").rows].map((line) =>
    [...line.cells].map((cell) => Number(cell.firstChild.value) || 0));
}

function filterRequest() {
  const name = $("filter-name").value;
  if (name.startsWith("custom")) return { kernel: typedKernel() };
  if (name === "mean" || name === "median") return { name, size: Number($("filter-size").value) };
  if (name === "gradient") return { name, operator: $("filter-operator").value };
  return { name };
}

async function applyFilter() {
  if (!state.version) return;
  if (isSignal()) {
    $("filter-info").textContent = "The filters of cnnlab.filters work on images; this model reads signals.";
    return;
  }
  const answer = await postJSON("/api/filter", filterRequest());
  const params = { v: answer.version }; // each filter result has its own version
  await Promise.all([
    showImage($("filter-result"), "/api/filter.png", params),
    showImage($("filter-input"), "/api/input.png", { v: state.version }),
  ]);
  for (const img of [$("filter-result"), $("filter-input")]) zoomToFit(img, 300, 300);
  $("filter-info").textContent =
    `${answer.shape.join("×")} result, from ${formatNumber(answer.min)} (dark) to ` +
    `${formatNumber(answer.max)} (bright)` + (answer.mode ? `; edges: mode "${answer.mode}"` : "") +
    (answer.name === "gradient" ? "; the numbers are the magnitude" : "");
  $("save-filter").href = api("/api/filter.png", params);
  const numbers = $("filter-numbers");
  if (answer.values) numberTable(numbers, answer.values);
  else numbers.replaceChildren();
  $("filter-numbers-box").hidden = !answer.values;
}

function hookFilters() {
  $("filter-name").addEventListener("change", guarded(async () => {
    const name = $("filter-name").value;
    $("filter-size-label").hidden = name !== "median" && name !== "mean";
    $("filter-operator-label").hidden = name !== "gradient";
    $("kernel-grid").hidden = !name.startsWith("custom");
    if (name.startsWith("custom")) kernelGrid(name === "custom3" ? 3 : 5);
    await applyFilter();
  }));
  $("filter-size").addEventListener("change", guarded(applyFilter));
  $("filter-operator").addEventListener("change", guarded(applyFilter));
  $("filter-apply").addEventListener("click", guarded(applyFilter));
}

// ---------------------------------------------------------------- tabs, and the start

function showTab(name) {
  state.tab = name;
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  for (const section of document.querySelectorAll(".tab")) {
    section.hidden = section.id !== `tab-${name}`;
  }
}

// Open a tab and bring it up to date with the current input.
async function openTab(name) {
  showTab(name);
  if (name === "layer" && state.layer && state.layerVersion !== state.version) {
    await showLayer(state.unit);
  }
  if (name === "pooling") {
    const onExample = state.pooling && state.pooling.example;
    const hasLayer = $("pool-layer").value !== "";
    if (!onExample) await loadPooling(hasLayer ? null : "pool6x6"); // does nothing when shown
  }
  if (name === "gradcam") await showGradcam();
  if (name === "filters") await applyFilter();
}

async function start() {
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.addEventListener("click", guarded(() => openTab(button.dataset.tab)));
  }
  hookInput();
  hookLayer();
  hookPooling();
  hookGradcam();
  hookFilters();
  await loadModel();
  await newInput(await request("/api/prediction")); // the input the server starts with
  const firstMaps = state.model.layers.find((l) => l.maps);
  if (firstMaps) await selectLayer(firstMaps.name);
  say("");
  document.body.dataset.ready = "true";
}

// For the tests (and the curious): the state, and whether the page is still waiting.
window.explore = { state, idle: () => pending === 0 && !pad.timer && !pad.busy };

start().catch((error) => say(error.message, true));
