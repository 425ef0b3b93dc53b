// Gallery: every catalogued work, newest first, with how it was made; remix, download, delete.
import { api } from "./api.js";
import { $, $$, el, showError, toast } from "./ui.js";

const PIPELINE_NAMES = {
  "studio.cowrite": "Co-written text", "text.generate": "Generated text",
  "music.generate": "Melody continuation", "gan.sample": "GAN pictures",
  "studio.gan.vary": "Variations", "studio.gan.blend": "Blend", "gan.interpolate": "Latent walk",
  "gan.mix": "Style mixing", "style.transfer": "Style transfer", "style.video": "Stylised video",
  "style.stylize": "Fast style", "pix2pix.translate": "Painted sketch", "image.sketch": "Line art",
  "music.vae.interpolate": "Melody blend", "music.vae.sample": "New melodies",
  "music.vae.attribute": "Melody variation", "music.band.accompany": "Melody with a band",
  "music.band.generate": "Band piece", "field.render": "Field painting",
};

const title = (work) => work.params?.title || PIPELINE_NAMES[work.pipeline] || work.pipeline;
const when = (iso) => new Date(iso).toLocaleString();

function preview(work) {
  const box = el("div", { class: "preview" });
  const file = work.file;
  const roll = work.companions.find((c) => c.type === "image" && c.served);
  if (work.text !== null) box.append(el("div", { class: "poem", text: work.text }));
  else if (file.type === "image" && file.served) {
    const pixels = work.pipeline.includes("gan.");  // small GAN tiles: crisp, not blurred
    box.append(el("img", { src: file.url, alt: title(work), loading: "lazy", class: pixels ? "pixels" : null }));
  }
  else if (roll) box.append(el("img", { src: roll.url, alt: `Piano roll of ${title(work)}`, loading: "lazy" }));
  else if (file.type === "video" && file.served) box.append(el("video", { src: file.url, controls: true }));
  else box.append(el("span", { class: "empty", text: file.served ? file.name : "the file lies outside the artforge home" }));
  return box;
}

function provenance(work) {
  const rows = [["made by", work.pipeline], ["when", when(work.created)],
                ["seed", work.seed ?? "none"], ["model", work.model_path || "none"],
                ["model hash", work.model_hash ? work.model_hash.slice(0, 16) : "none"],
                ["command", work.command || ""], ["file sha256", work.file_sha256.slice(0, 16)],
                ["versions", Object.entries(work.versions).map(([k, v]) => `${k} ${v}`).join(", ")]];
  const list = el("dl");
  for (const [name, value] of rows) list.append(el("dt", { text: name }), el("dd", { text: String(value) }));
  const params = el("pre", { text: JSON.stringify(work.params, null, 1) });
  return el("div", { class: "provenance", hidden: true }, list,
            el("details", {}, el("summary", { text: "all settings" }), params));
}

async function remove(work, card) {
  if (!confirm(`Delete “${title(work)}” from the gallery? Files the studio made are deleted too.`)) return;
  try {
    const done = await api(`/api/works/${work.id}`, { method: "DELETE" });
    card.remove();
    toast(done.files_kept.length ? "Removed from the gallery; the file outside the studio was kept."
      : "Deleted.");
  } catch (error) {
    toast(error.message, true);
  }
}

function card(work) {
  const details = provenance(work);
  const buttons = el("div", { class: "buttons" },
    el("button", { type: "button", text: "How it was made",
                   onclick: () => { details.hidden = !details.hidden; } }));
  if (work.remix) {
    buttons.append(el("button", { type: "button", text: "Remix", onclick: () =>
      window.dispatchEvent(new CustomEvent("remix", { detail: work.remix })) }));
  }
  if (work.file.served) {
    buttons.append(el("a", { href: `${work.file.url}?download=true`, text: "Download", download: "" }));
  }
  const article = el("article", { class: "work", "data-work": work.id, "data-medium": work.medium });
  buttons.append(el("button", { type: "button", class: "danger", text: "Delete",
                                onclick: () => remove(work, article) }));
  const body = el("div", { class: "body" },
    el("div", { class: "title", text: title(work) }),
    el("div", { class: "meta", text: `${work.medium} · ${when(work.created)}${work.seed !== null ? ` · seed ${work.seed}` : ""}` }));
  const audio = work.companions.find((c) => c.type === "audio" && c.served);
  if (audio) body.append(el("audio", { src: audio.url, controls: true, preload: "none" }));
  body.append(buttons, details);
  article.append(preview(work), body);
  return article;
}

export async function refresh() {
  const medium = $('input[name="gallery-medium"]:checked').value;
  showError("gallery-error", null);
  try {
    const works = await api(`/api/works${medium ? `?medium=${medium}` : ""}`);
    const list = $("#gallery-works");
    list.replaceChildren(...works.map(card));
    if (!works.length) list.append(el("p", { class: "empty", text: "Nothing here yet: what you make appears here, with how it was made." }));
  } catch (error) {
    showError("gallery-error", error);
  }
}

export function init() {
  $("#gallery-refresh").addEventListener("click", refresh);
  for (const radio of $$('input[name="gallery-medium"]')) radio.addEventListener("change", refresh);
}

// Read the catalog each time the tab opens: works made meanwhile (here or on the command line)
// appear.
export function shown() {
  refresh();
}
