// More with the melody above: blend it into another (melody VAE) or add a band around it.
import { api, follow, jobFile, upload } from "./api.js";
import { currentMelody } from "./music.js";
import { $, busy, el, fillModels, number, requireModel, showError } from "./ui.js";

let melodyB = null;

function showResult(box, job, caption) {
  const { midi, wav, png } = job.result;
  $(box).replaceChildren(
    el("img", { src: jobFile(job, png), alt: caption }),
    el("audio", { src: jobFile(job, wav), controls: true }),
    el("p", { class: "actions" }, el("a", { href: `${jobFile(job, midi)}?download=true`,
                                            download: "", text: "Download MIDI" })));
  $(box).hidden = false;
  window.dispatchEvent(new Event("works-changed"));
}

async function chooseB(event) {
  const file = event.target.files[0];
  melodyB = null;
  $("#blend-file-note").textContent = "";
  if (!file) return;
  try {
    melodyB = await upload(file, "midi");
    $("#blend-file-note").textContent = `${melodyB.name}: ${melodyB.notes} notes.`;
  } catch (error) {
    event.target.value = "";
    showError("blend-error", error);
  }
}

async function blend() {
  await busy($("#blend-go"), "blend-error", async () => {
    const a = currentMelody();
    if (!melodyB) throw new Error("Choose melody B, a MIDI file, first.");
    const body = { model: requireModel($("#blend-model")), a, b: { upload: melodyB.id },
                   steps: number("blend-steps"), tempo: number("music-tempo") };
    $("#blend-note").textContent = "Blending…";
    const job = await follow(await api("/api/music/blend", { method: "POST", body }));
    $("#blend-note").textContent = "";
    showResult("#blend-result", job, "The melodies from A to B, one after another");
  });
}

async function accompany() {
  await busy($("#band-go"), "band-error", async () => {
    const body = { model: requireModel($("#band-model")), melody: currentMelody(),
                   temperature: number("band-temperature"), tempo: number("music-tempo"),
                   harmony: $("#band-harmony").value };
    $("#band-note").textContent = "The band is playing…";
    const job = await follow(await api("/api/music/accompany", { method: "POST", body }));
    $("#band-note").textContent = "";
    showResult("#band-result", job, "Your melody with the band's parts");
  });
}

export async function init(status) {
  const selects = [];
  if (status.features.melody?.available) {
    $("#blend-file").addEventListener("change", chooseB);
    $("#blend-go").addEventListener("click", blend);
    selects.push($("#blend-model"));
  }
  if (status.features.band?.available) {
    $("#band-go").addEventListener("click", accompany);
    selects.push($("#band-model"));
  }
  const refill = () => Promise.all(selects.map(fillModels));
  window.addEventListener("models-changed", refill);
  await refill();
}
