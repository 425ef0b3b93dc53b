// Pictures: a GAN grid to pick from (A, then B), variations of A, a blend from A to B; and a
// sketch canvas that a pix2pix model paints.
import { api, follow, jobFile, upload } from "./api.js";
import { Painter } from "./paint.js";
import { $, busy, el, fillModels, number, requireModel, showError } from "./ui.js";

let grid = null;       // the last grid: {request, job}
let picks = [];        // indexes of the chosen pictures: [A] or [A, B]
let sketch;
let hints;

function gridRequest() {
  return { model: requireModel($("#gan-model")), seed: number("gan-seed"),
           truncation: number("gan-truncation"), count: number("gan-count") };
}

// Buttons over the grid's tiles, placed from the tile layout the job reports.
function overlay(job) {
  const { count, columns, gap } = job.result;
  const box = $("#gan-grid");
  const image = el("img", { src: jobFile(job, job.result.image), alt: `A grid of ${count} new pictures` });
  box.replaceChildren(image);
  image.addEventListener("load", () => {
    const tile = (image.naturalWidth - (columns - 1) * gap) / columns;
    const pct = (value, whole) => `${(value / whole) * 100}%`;
    for (let index = 0; index < count; index += 1) {
      const left = (index % columns) * (tile + gap);
      const top = Math.floor(index / columns) * (tile + gap);
      const button = el("button", { type: "button", "aria-label": `Picture ${index + 1}`,
                                    "data-index": index, onclick: () => pick(index) });
      Object.assign(button.style, {
        left: pct(left, image.naturalWidth), top: pct(top, image.naturalHeight),
        width: pct(tile, image.naturalWidth), height: pct(tile, image.naturalHeight),
      });
      box.append(button);
    }
  }, { once: true });
  box.hidden = false;
}

function pick(index) {
  picks = picks.length === 1 && picks[0] !== index ? [picks[0], index] : [index];
  for (const button of $("#gan-grid").querySelectorAll("button")) {
    const at = picks.indexOf(Number(button.dataset.index));
    button.className = at === 0 ? "a" : at === 1 ? "b" : "";
  }
  $("#gan-vary").disabled = picks.length < 1;
  $("#gan-blend").disabled = picks.length < 2;
  $("#gan-note").textContent = picks.length === 1 ? "A chosen: vary it, or choose B to blend."
    : "A and B chosen.";
}

async function draw() {
  await busy($("#gan-go"), "gan-error", async () => {
    const request = gridRequest();
    $("#gan-note").textContent = "Drawing…";
    const job = await follow(await api("/api/image/grid", { method: "POST", body: request }));
    grid = { request, job };
    picks = [];
    $("#gan-vary").disabled = true;
    $("#gan-blend").disabled = true;
    overlay(job);
    $("#gan-note").textContent = "Click a picture to choose it.";
    window.dispatchEvent(new Event("works-changed"));
  });
}

async function strip(path, extra, caption, button) {
  await busy(button, "gan-error", async () => {
    const body = { ...grid.request, truncation: number("gan-truncation"), ...extra };
    const job = await follow(await api(path, { method: "POST", body }));
    const picture = el("img", { src: jobFile(job, job.result.image), alt: caption });
    picture.style.width = `min(100%, ${job.result.columns * 96}px)`;  // small tiles, shown large
    const figure = el("figure", { class: "strip" }, picture,
      el("figcaption", { text: caption }));
    $("#gan-strips").prepend(figure);
    window.dispatchEvent(new Event("works-changed"));
  });
}

function vary() {
  const [a] = picks;
  return strip("/api/image/vary", { index: a, strength: number("gan-strength"),
                                    vary_seed: Math.floor(Math.random() * 1e6) },
               `Variations of picture ${a + 1} (first: the original)`, $("#gan-vary"));
}

function blend() {
  const [a, b] = picks;
  return strip("/api/image/blend", { a, b, steps: number("gan-steps") },
               `From picture ${a + 1} to picture ${b + 1}`, $("#gan-blend"));
}

async function paint() {
  await busy($("#sketch-go"), "sketch-error", async () => {
    if (!sketch.painted) throw new Error("Draw something first (or turn a photo into line art).");
    const model = requireModel($("#sketch-model"));
    $("#sketch-note").textContent = "Painting…";
    const drawing = await upload(new File([await sketch.png()], "sketch.png"), "image");
    const body = { model, sketch: drawing.id };
    if (hints.painted && !$("#sketch-hints").hidden) {
      body.hints = (await upload(new File([await hints.png()], "hints.png"), "image")).id;
    }
    const job = await follow(await api("/api/sketch/paint", { method: "POST", body }));
    $("#sketch-result").src = jobFile(job, job.result.image);
    $("#sketch-result").hidden = false;
    $("#sketch-note").textContent = "";
    window.dispatchEvent(new Event("works-changed"));
  });
}

async function lineArt(event) {
  const file = event.target.files[0];
  if (!file) return;
  await busy($("#sketch-go"), "sketch-error", async () => {
    $("#sketch-note").textContent = "Finding the lines…";
    const photo = await upload(file, "image");
    const job = await follow(await api("/api/sketch/lines", { method: "POST",
                                                               body: { photo: photo.id } }));
    const image = new Image();
    image.src = jobFile(job, job.result.image);
    await image.decode();
    sketch.drawPicture(image);
    $("#sketch-note").textContent = "Line art ready: draw on it, then paint it.";
  });
  event.target.value = "";
}

// The colour brush only for models trained with colour hints.
function offerColour() {
  const chosen = $("#sketch-model").selectedOptions[0];
  const reads = !chosen || chosen.dataset.hints !== "false";
  const button = $("#sketch-colour-mode");
  button.disabled = !reads;
  $("#sketch-hints").hidden = !reads;  // its dabs wait there for a model that reads them
  button.title = reads ? "Dabs of colour the painting should use there"
    : "This model was trained without colour hints";
  if (!reads) {  // back to the pen
    $("#sketch-hints").classList.remove("active");
    button.setAttribute("aria-pressed", "false");
    $("#sketch-eraser").setAttribute("aria-pressed", String(sketch.erasing));
  }
}

function initSketch() {
  const size = () => number("sketch-size");
  sketch = new Painter($("#sketch-canvas"), { background: "#fff", size });
  // Colour hints: a transparent layer over the lines; its opaque pixels are the hints.
  hints = new Painter($("#sketch-hints"), { colour: $("#sketch-colour").value,
                                             size: () => Math.max(8, 2 * size()) });
  $("#sketch-colour").addEventListener("input", (event) => {
    hints.colour = event.target.value;
  });
  const eraser = $("#sketch-eraser");
  $("#sketch-colour-mode").addEventListener("click", (event) => {
    const colouring = !$("#sketch-hints").classList.contains("active");
    $("#sketch-hints").classList.toggle("active", colouring);
    event.target.setAttribute("aria-pressed", String(colouring));
    const active = colouring ? hints : sketch;
    eraser.setAttribute("aria-pressed", String(active.erasing));
  });
  $("#sketch-clear").addEventListener("click", () => {
    sketch.clear();
    hints.clear();
  });
  eraser.addEventListener("click", () => {
    const active = $("#sketch-hints").classList.contains("active") ? hints : sketch;
    active.erasing = !active.erasing;
    eraser.setAttribute("aria-pressed", String(active.erasing));
  });
  $("#sketch-model").addEventListener("change", offerColour);
  $("#sketch-go").addEventListener("click", paint);
  $("#sketch-photo").addEventListener("change", lineArt);
}

export async function init(status) {
  $("#gan-go").addEventListener("click", draw);
  $("#gan-vary").addEventListener("click", vary);
  $("#gan-blend").addEventListener("click", blend);
  const selects = [$("#gan-model")];
  if (status.features.sketch?.available) {
    initSketch();
    selects.push($("#sketch-model"));
  }
  const refill = () => Promise.all(selects.map(fillModels)).then(() => {
    if (status.features.sketch?.available) offerColour();
  });
  window.addEventListener("models-changed", refill);
  try {
    await refill();
  } catch (error) {
    showError("gan-error", error);
  }
}

export function remix(settings, model) {
  for (const [id, key] of [["gan-seed", "seed"], ["gan-truncation", "truncation"],
                           ["gan-count", "count"]]) {
    if (settings[key] !== undefined) {
      $(`#${id}`).value = settings[key];
      $(`#${id}`).dispatchEvent(new Event("input"));
    }
  }
  if (model && [...$("#gan-model").options].some((o) => o.value === String(model))) {
    $("#gan-model").value = String(model);
  }
}
