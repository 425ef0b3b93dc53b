// Training: teach a model on a built-in collection or the artist's own files, watch the loss
// fall and the samples improve; stop (it saves) and resume later.
import { api, follow, jobFile, upload } from "./api.js";
import { drawLoss } from "./plot.js";
import { $, $$, busy, describeJob, el, setProgress, showError } from "./ui.js";

const UPLOAD_KIND = { ".zip": "zip", ".txt": "text", ".mid": "midi", ".midi": "midi" };
let tabs = {};            // each tab's menu label, built-in sets and noun (/api/status)
let data = null;          // the uploaded files' record
let selected = null;      // the job shown in detail
let watching = null;      // its id while followed
let records = [];

function fillMedia(features) {
  const usable = Object.entries(tabs).filter(([tab]) => features[tab]?.available);  // tab = feature
  $("#train-medium").replaceChildren(...usable.map(([tab, training]) =>
    el("option", { value: tab, text: training.label })));
}

function fillBuiltin() {
  const medium = $("#train-medium").value;
  $("#train-builtin").replaceChildren(...(tabs[medium]?.datasets || []).map((set) =>
    el("option", { value: set.name, text: set.label })));
}

function showSource() {
  const own = $('input[name="train-source"]:checked').value === "upload";
  $("#train-upload-row").hidden = !own;
  $("#train-builtin-row").hidden = own;
}

async function chooseFiles(event) {
  const file = event.target.files[0];
  data = null;
  if (!file) return;
  const suffix = file.name.slice(file.name.lastIndexOf(".")).toLowerCase();
  $("#train-file-note").textContent = "Uploading and checking…";
  try {
    data = await upload(file, UPLOAD_KIND[suffix] || "zip");
    const parts = ["images", "music", "texts"].filter((k) => data[k]).map((k) => `${data[k]} ${k}`);
    $("#train-file-note").textContent = `${data.name}: ${parts.join(", ") || "ready"}.`;
  } catch (error) {
    $("#train-file-note").textContent = "";
    event.target.value = "";
    showError("train-error", error);
  }
}

async function start() {
  await busy($("#train-go"), "train-error", async () => {
    const own = $('input[name="train-source"]:checked').value === "upload";
    if (own && !data) throw new Error("Choose a zip of your files first.");
    const body = { medium: $("#train-medium").value, data: own ? data.id : $("#train-builtin").value,
                   name: $("#train-name").value, size: $("#train-size").value,
                   minutes: Number($("#train-minutes").value), steps: Number($("#train-steps").value) };
    const job = await api("/api/training", { method: "POST", body });
    await refresh();
    select(job);
  });
}

function runItem(job) {
  const request = job.request || {};
  const name = request.name || `${tabs[request.medium]?.noun || ""} model #${job.id}`;
  const buttons = el("span", {});
  if (!job.ended) buttons.append(el("button", { type: "button", text: "Stop", onclick: (e) => act(e, job, "cancel") }));
  if (job.resumable) buttons.append(el("button", { type: "button", text: "Resume", onclick: (e) => act(e, job, "resume") }));
  const bar = el("div", { class: "progress" }, el("div"));
  bar.firstElementChild.style.width = `${Math.round(job.progress * 100)}%`;
  return el("div", { class: selected?.id === job.id ? "run selected" : "run", "data-job": job.id,
                     onclick: () => select(job) },
    el("div", {}, el("div", { class: "name", text: name }),
       el("div", { class: "state" }, el("span", { class: `chip ${job.status}`, text: job.status }),
          ` ${job.message || ""}`)),
    buttons, bar);
}

async function act(event, job, action) {
  event.stopPropagation();
  try {
    const changed = await api(`/api/jobs/${job.id}/${action}`, { method: "POST" });
    await refresh();
    if (action === "resume") select(changed);
  } catch (error) {
    showError("train-error", error);
  }
}

export async function refresh() {
  const jobs = await api("/api/jobs?lane=train&limit=30");
  $("#train-runs").replaceChildren(...jobs.map(runItem));
  if (!jobs.length) $("#train-runs").append(el("p", { class: "empty", text: "No training yet." }));
  return jobs;
}

async function previews(job) {
  const box = $("#train-previews");
  box.replaceChildren();
  const samples = await api(`/api/jobs/${job.id}/samples`);
  for (const name of samples.slice(-3)) {
    box.append(el("figure", {}, el("img", { src: `/api/jobs/${job.id}/samples/${name}`, alt: `Samples at ${name}` }),
                  el("figcaption", { class: "note", text: name.replace(".png", "") })));
  }
  for (const name of job.result?.previews || []) {
    if (name.endsWith(".txt")) {
      const text = await (await fetch(jobFile(job, name))).text();
      box.append(el("pre", { text }));
    } else if (name.endsWith(".png")) box.append(el("img", { src: jobFile(job, name), alt: "Preview" }));
    else if (name.endsWith(".wav")) box.append(el("audio", { src: jobFile(job, name), controls: true }));
  }
}

function showJob(job) {
  selected = job;
  setProgress($("#train-progress"), job.progress);
  $("#train-detail-note").textContent = describeJob(job) + (job.error ? ` · ${job.error}` : "");
}

async function select(job) {
  selected = job;
  $$(".run").forEach((item) => item.classList.toggle("selected", item.dataset.job === String(job.id)));
  $("#train-detail").hidden = false;
  $("#train-detail-title").textContent = (job.request?.name || `Run #${job.id}`);
  showJob(job);
  records = await api(`/api/jobs/${job.id}/metrics`);
  drawLoss($("#train-plot"), records);
  await previews(job);
  if (job.ended || watching === job.id) return;
  watching = job.id;
  let last = job;
  try {
    last = await follow(job, {
      onJob: (j) => { last = j; if (selected?.id === j.id) showJob(j); },
      onMetrics: (lines) => {
        records = records.concat(lines);
        if (selected?.id === job.id) drawLoss($("#train-plot"), records);
      },
    });
  } catch (error) {
    last = error.job || last;
  } finally {
    watching = null;
  }
  window.dispatchEvent(new Event("models-changed"));
  await refresh();
  if (selected?.id === last.id) { showJob(last); await previews(last); }
}

export async function init(status) {
  tabs = status.training;
  fillMedia(status.features);
  fillBuiltin();
  showSource();
  $("#train-medium").addEventListener("change", fillBuiltin);
  for (const radio of $$('input[name="train-source"]')) radio.addEventListener("change", showSource);
  $("#train-file").addEventListener("change", chooseFiles);
  $("#train-go").addEventListener("click", start);
  drawLoss($("#train-plot"), []);
  try {
    await refresh();
  } catch (error) {
    showError("train-error", error);
  }
}

export function shown() {
  refresh().catch((error) => showError("train-error", error));
}
