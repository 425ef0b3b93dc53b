// The Jobs panel: what the studio is doing or did lately, with stop and resume.
import { api } from "./api.js";
import { $, describeJob, el, toast } from "./ui.js";

const KIND_NAMES = {
  "text.generate": "Suggestions", "music.generate": "Melody", "gan.sample": "Picture grid",
  "gan.vary": "Variations", "gan.blend": "Blend", "sketch.paint": "Sketch painting",
  "sketch.lines": "Line art", "style.image": "Style transfer", "style.video": "Video style",
  "music.blend": "Melody blend", "music.accompany": "Band", train: "Training",
};
const POLL_MS = 2500;

async function act(job, action) {
  try {
    await api(`/api/jobs/${job.id}/${action}`, { method: "POST" });
    await update();
  } catch (error) {
    toast(error.message, true);
  }
}

function item(job) {
  const bar = el("div", { class: "progress" }, el("div"));
  bar.firstElementChild.style.width = `${Math.round(job.progress * 100)}%`;
  const row = el("div", { class: "row" },
    el("span", { text: `${KIND_NAMES[job.kind] || job.kind} #${job.id}` }),
    el("span", { class: `chip ${job.status}`, text: job.status }));
  if (!job.ended) row.append(el("button", { type: "button", text: "Stop", onclick: () => act(job, "cancel") }));
  if (job.resumable) row.append(el("button", { type: "button", text: "Resume", onclick: () => act(job, "resume") }));
  const message = job.error || (job.status === "running" ? describeJob(job) : job.message);
  return el("li", { "data-job": job.id }, row, message ? el("div", { class: "message", text: message }) : null,
            job.ended ? null : bar);
}

async function update() {
  const jobs = await api("/api/jobs?limit=15");
  const active = jobs.filter((j) => !j.ended).length;
  $("#activity-count").textContent = String(active);
  $("#activity-toggle").classList.toggle("busy", active > 0);
  $("#activity-list").replaceChildren(...jobs.map(item));
  if (!jobs.length) $("#activity-list").append(el("li", { class: "empty", text: "Nothing yet." }));
}

export function init() {
  const toggle = $("#activity-toggle");
  toggle.addEventListener("click", () => {
    const open = $("#activity").hidden;
    $("#activity").hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) update().catch(() => {});
  });
  window.addEventListener("job-ended", () => update().catch(() => {}));
  const tick = () => {
    if (!document.hidden) update().catch(() => {});
    setTimeout(tick, POLL_MS);
  };
  tick();
}
