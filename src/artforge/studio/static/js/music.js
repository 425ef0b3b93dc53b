// Music: a primer played on the keyboard, uploaded, or none; the model continues it in a key and
// density; the result comes back as a piano roll, audio and MIDI.
import { api, follow, jobFile, upload } from "./api.js";
import { StepEntry } from "./keyboard.js";
import { $, $$, busy, fillModels, number, requireModel, setProgress, showError } from "./ui.js";

let entry;
let primerUpload = null;

const source = () => $('input[name="music-source"]:checked').value;

function showSource() {
  for (const name of ["play", "upload", "none"]) $(`#music-${name}`).hidden = source() !== name;
}

// The melody above, for the blend and the band: {notes} or {upload}, or an error saying what
// to do.
export function currentMelody() {
  if (source() === "play" && entry.notes.length) return { notes: entry.notes };
  if (source() === "upload" && primerUpload) return { upload: primerUpload.id };
  throw new Error("Play a melody on the keyboard above, or upload one, first.");
}

function request() {
  const body = {
    model: requireModel($("#music-model")),
    bars: number("music-bars"),
    key: $("#music-key").value || null,
    density: $("#music-density").value,
    instrument: number("music-instrument"),
    tempo: number("music-tempo"),
    temperature: number("music-temperature"),
    seed: number("music-seed"),
  };
  if (source() === "play") {
    if (!entry.notes.length) {
      throw new Error("Play a few notes first, or choose “Let the model begin”.");
    }
    body.notes = entry.notes;
  } else if (source() === "upload") {
    if (!primerUpload) throw new Error("Choose a MIDI file to continue first.");
    body.primer = primerUpload.id;
  }
  return body;
}

function showResult(job) {
  const result = job.result;
  $("#music-result-roll").src = jobFile(job, result.png);
  $("#music-result-audio").src = jobFile(job, result.wav);
  $("#music-result-midi").href = `${jobFile(job, result.midi)}?download=true`;
  $("#music-result-wav").href = `${jobFile(job, result.wav)}?download=true`;
  $("#music-result").hidden = false;
  $("#music-note").textContent = `${result.notes} notes, heard through ${result.synthesiser}.`;
}

async function go() {
  await busy($("#music-go"), "music-error", async () => {
    const body = request();
    $("#music-note").textContent = "Composing…";
    setProgress($("#music-progress"), null);
    try {
      const job = await api("/api/music/continue", { method: "POST", body });
      showResult(await follow(job));
      window.dispatchEvent(new Event("works-changed"));
    } catch (error) {
      $("#music-note").textContent = "";
      throw error;
    } finally {
      $("#music-progress").hidden = true;
    }
  });
}

async function choosePrimer(event) {
  const file = event.target.files[0];
  primerUpload = null;
  $("#music-file-note").textContent = file ? "Checking the file…" : "";
  if (!file) return;
  showError("music-error", null);
  try {
    primerUpload = await upload(file, "midi");
    $("#music-file-note").textContent = `${primerUpload.name}: ${primerUpload.notes} notes.`;
  } catch (error) {
    $("#music-file-note").textContent = "";
    event.target.value = "";
    showError("music-error", error);
  }
}

export async function init() {
  entry = new StepEntry($("#music-keyboard"), $("#music-roll"));
  $("#music-rest").addEventListener("click", () => entry.rest());
  $("#music-undo").addEventListener("click", () => entry.undo());
  $("#music-clear").addEventListener("click", () => entry.clear());
  $("#music-listen").addEventListener("click", () => entry.listen());
  for (const radio of $$('input[name="music-source"]')) radio.addEventListener("change", showSource);
  $("#music-file").addEventListener("change", choosePrimer);
  $("#music-go").addEventListener("click", go);
  window.addEventListener("models-changed", () => fillModels($("#music-model")));
  try {
    await fillModels($("#music-model"));
  } catch (error) {
    showError("music-error", error);
  }
}

export function remix(settings, model) {
  for (const [id, key] of [["music-bars", "bars"], ["music-density", "density"],
                           ["music-instrument", "instrument"], ["music-temperature", "temperature"],
                           ["music-seed", "seed"]]) {
    if (settings[key] !== undefined) {
      $(`#${id}`).value = settings[key];
      $(`#${id}`).dispatchEvent(new Event("input"));
    }
  }
  $("#music-key").value = settings.key || "";
  if (model && [...$("#music-model").options].some((o) => o.value === String(model))) {
    $("#music-model").value = String(model);
  }
}
