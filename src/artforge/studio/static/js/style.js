// Style: a photo, a style (a built-in painting or an upload) or a fast style network, a mask
// painted on the photo where the style goes, sliders; and a video stylised frame by frame with
// its progress shown. With the Instant detail the result follows the sliders live
// (POST /api/style/live).
import { api, follow, jobFile, picture, upload } from "./api.js";
import { Painter } from "./paint.js";
import { $, busy, el, number, setProgress, showError } from "./ui.js";

let content = null;    // the uploaded photo's record
let style = null;      // {painting: name} or {upload: record}
let mask;
let maskChanges = 0;   // strokes and clears so far
let maskUpload = null; // {changes, id}: the mask as last uploaded
let video = null;
const live = { running: false, again: false };  // one preview request at a time

function chooseStyle(choice, label) {
  style = choice;
  for (const button of $("#style-paintings").querySelectorAll("button")) {
    button.setAttribute("aria-selected", String(button.dataset.name === choice.painting));
  }
  $("#style-chosen").textContent = `Style: ${label}`;
  livePreview();
}

async function loadPaintings() {
  const names = await api("/api/paintings");
  $("#style-paintings").replaceChildren(...names.map((name) => el("button", {
    type: "button", role: "option", "data-name": name, title: name.replaceAll("-", " "),
    onclick: () => chooseStyle({ painting: name }, name.replaceAll("-", " ")) },
  el("img", { src: `/api/paintings/${encodeURIComponent(name)}`, alt: name.replaceAll("-", " "),
              loading: "lazy" }))));
  if (names.length) chooseStyle({ painting: names[0] }, names[0].replaceAll("-", " "));
}

async function chooseContent(event) {
  const file = event.target.files[0];
  if (!file) return;
  showError("style-error", null);
  try {
    content = await upload(file, "image");
  } catch (error) {
    content = null;
    showError("style-error", error);
    return;
  }
  const preview = $("#style-preview");
  preview.src = URL.createObjectURL(file);
  await preview.decode();
  preview.hidden = false;
  $("#style-placeholder").hidden = true;
  $("#style-stage").classList.remove("empty");
  const canvas = $("#style-mask");
  canvas.width = content.width;
  canvas.height = content.height;
  mask.clear();
  maskChanged();
  $("#style-note").textContent = `${content.name}, ${content.width}×${content.height}`;
}

async function chooseStyleUpload(event) {
  const file = event.target.files[0];
  if (!file) return;
  try {
    chooseStyle({ upload: await upload(file, "image") }, file.name);
  } catch (error) {
    showError("style-error", error);
  }
}

function styleField() {
  if (!style) throw new Error("Choose a style: a painting, or upload a picture.");
  return style.painting ? `builtin:${style.painting}` : style.upload.id;
}

const look = () => ({ style: styleField(), style_strength: number("style-weight"),
                      preserve_color: $("#style-colour").checked });
const fastStyle = () => ($("#style-fast").value ? Number($("#style-fast").value) : null);
// A fast style paints its own style: the request names the model instead of a style.
const options = () => (fastStyle() === null ? { ...look(), detail: $("#style-detail").value }
  : { model: fastStyle(), preserve_color: $("#style-colour").checked });

// The fast style networks (those artforge ships first), after "none": the style chosen above.
async function loadFastStyles() {
  const select = $("#style-fast");
  const keep = select.value;
  const models = await api("/api/models?medium=style");
  select.replaceChildren(el("option", { value: "", text: "None: the style and detail above" }),
                         ...models.map((m) => el("option", { value: m.id, text: m.name })));
  if (models.some((m) => String(m.id) === keep)) select.value = keep;
  fastChanged();
}

function fastChanged() {
  const fast = fastStyle() !== null;
  for (const id of ["style-detail", "style-weight"]) $(`#${id}`).disabled = fast;
  livePreview();
}

// The painted mask's upload id (uploaded again only after it changed), or undefined.
async function maskId() {
  if (!mask.painted) return undefined;
  if (maskUpload?.changes !== maskChanges) {
    const changes = maskChanges;
    const png = await mask.maskPng();
    maskUpload = { changes, id: (await upload(new File([png], "mask.png"), "image")).id };
  }
  return maskUpload.id;
}

function maskChanged() {
  maskChanges += 1;
  livePreview();
}

function showResult(src, saved) {
  const image = $("#style-result-image");
  if (image.src.startsWith("blob:")) URL.revokeObjectURL(image.src);
  image.src = src;
  $("#style-result-download").hidden = !saved;
  $("#style-result").hidden = false;
}

const liveWanted = () => $("#style-detail").value === "instant" && fastStyle() === null
  && content && style;

// With the Instant detail, paint the result again for the current settings: while one request
// runs, later changes wait, and the newest of them is sent when it returns.
async function livePreview() {
  if (!liveWanted()) return;
  if (live.running) {
    live.again = true;
    return;
  }
  live.running = true;
  $("#style-result").setAttribute("aria-busy", "true");
  try {
    do {
      live.again = false;
      const body = { content: content.id, size: number("style-size"), mask: await maskId(),
                     ...look() };
      showResult(URL.createObjectURL(await picture("/api/style/live", { method: "POST", body })),
                 false);
      $("#style-note").textContent = "Live preview: Stylise keeps it in the gallery.";
      showError("style-error", null);
    } while (live.again && liveWanted());
  } catch (error) {
    showError("style-error", error);
  } finally {
    live.running = false;
    $("#style-result").setAttribute("aria-busy", "false");
  }
}

async function stylise() {
  await busy($("#style-go"), "style-error", async () => {
    if (!content) throw new Error("Choose a photo first.");
    const body = { content: content.id, size: number("style-size"), mask: await maskId(),
                   ...options() };
    $("#style-note").textContent = "Painting in the style…";
    setProgress($("#style-progress"), 0);
    try {
      const job = await follow(await api("/api/style/image", { method: "POST", body }), {
        onJob: (j) => { setProgress($("#style-progress"), j.progress); $("#style-note").textContent = j.message; } });
      showResult(jobFile(job, job.result.image), true);
      $("#style-result-download").href = `${jobFile(job, job.result.image)}?download=true`;
      $("#style-note").textContent = "Done: it is in the gallery too.";
      window.dispatchEvent(new Event("works-changed"));
    } finally {
      $("#style-progress").hidden = true;
    }
  });
}

async function chooseVideo(event) {
  const file = event.target.files[0];
  video = null;
  if (!file) return;
  $("#video-note").textContent = "Checking the video…";
  try {
    video = await upload(file, "video");
    $("#video-note").textContent = `${video.name}, ${video.width}×${video.height}`;
  } catch (error) {
    $("#video-note").textContent = "";
    showError("video-error", error);
  }
}

async function styliseVideo() {
  await busy($("#video-go"), "video-error", async () => {
    if (!video) throw new Error("Choose a video first.");
    const body = { video: video.id, ...options() };
    setProgress($("#video-progress"), 0);
    try {
      const job = await follow(await api("/api/style/video", { method: "POST", body }), {
        onJob: (j) => { setProgress($("#video-progress"), j.progress); $("#video-note").textContent = j.message; } });
      $("#video-result").src = jobFile(job, job.result.video);
      $("#video-result").hidden = false;
      window.dispatchEvent(new Event("works-changed"));
    } finally {
      $("#video-progress").hidden = true;
    }
  });
}

export async function init(status) {
  if (!status.features.style.available) return;
  mask = new Painter($("#style-mask"), { colour: "rgba(181, 69, 43, 0.45)",
                                         size: () => number("style-brush") });
  $("#style-content").addEventListener("change", chooseContent);
  $("#style-upload").addEventListener("change", chooseStyleUpload);
  $("#style-mask").addEventListener("pointerup", maskChanged);
  $("#style-clear-mask").addEventListener("click", () => { mask.clear(); maskChanged(); });
  $("#style-erase").addEventListener("click", (event) => {
    mask.erasing = !mask.erasing;
    event.target.setAttribute("aria-pressed", String(mask.erasing));
  });
  $("#style-weight").addEventListener("input", livePreview);
  for (const id of ["style-colour", "style-size", "style-detail"]) {
    $(`#${id}`).addEventListener("change", livePreview);
  }
  $("#style-fast").addEventListener("change", fastChanged);
  $("#style-go").addEventListener("click", stylise);
  $("#video-file").addEventListener("change", chooseVideo);
  $("#video-go").addEventListener("click", styliseVideo);
  window.addEventListener("models-changed", loadFastStyles);
  try {
    await Promise.all([loadPaintings(), loadFastStyles()]);
  } catch (error) {
    showError("style-error", error);
  }
}

export function remix(settings, model) {
  for (const [id, key] of [["style-weight", "style_strength"], ["style-size", "size"]]) {
    if (settings[key] !== undefined) {
      $(`#${id}`).value = settings[key];
      $(`#${id}`).dispatchEvent(new Event("input"));
    }
  }
  $("#style-colour").checked = Boolean(settings.preserve_color);
  if (settings.detail) $("#style-detail").value = settings.detail;
  if (settings.painting) chooseStyle({ painting: settings.painting }, settings.painting);
  $("#style-fast").value = settings.fast && model ? String(model) : "";
  fastChanged();
}
