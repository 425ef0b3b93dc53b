// Write: the artist writes, the model proposes continuations (streamed), the artist takes one,
// edits, asks again; the finished text goes to the gallery with the history of its making.
import { api, follow } from "./api.js";
import { $, busy, el, fillModels, number, requireModel, showError, toast } from "./ui.js";

let history = [];          // accepted suggestions: {settings, seed, proposed}
let asked = null;          // the request of the suggestions on show, and the draft it continued

function request() {
  return {
    model: requireModel($("#write-model")),
    prompt: $("#write-draft").value,
    suggestions: number("write-count"),
    form: $("#write-form").value,
    rhyme: $("#write-rhyme").checked && $("#write-form").value !== "",
    length: number("write-length"),
    temperature: number("write-temperature"),
    top_p: number("write-top-p"),
    seed: number("write-seed"),
  };
}

function syncForm() {
  const form = $("#write-form").value;
  $("#write-rhyme-row").hidden = form === "";
  $("#write-length-row").hidden = form !== "";
}

// The last line of the text so far, shown faintly before each suggestion for context.
const lastLine = (text) => text.split("\n").pop();

function card(text, index, writing, suggestion) {
  const body = el("div", { class: "text" });
  if (asked && asked.prompt) body.append(el("span", { class: "from", text: lastLine(asked.prompt) }));
  body.append(text || "");
  const footer = el("footer", {},
    el("span", { text: suggestion?.originality || (writing ? "writing…" : `suggestion ${index + 1}`) }));
  if (suggestion) {
    footer.append(el("button", { class: "primary", text: "Use this",
                                 onclick: () => accept(suggestion) }));
  }
  return el("article", { class: writing ? "suggestion writing" : "suggestion" }, body, footer);
}


function render(job) {
  const list = $("#write-suggestions");
  const done = job.result?.suggestions;
  const texts = done ? done.map((s) => s.text) : job.partial?.suggestions || [];
  const count = asked.suggestions;
  list.replaceChildren(...Array.from({ length: count }, (_, i) =>
    card(texts[i], i, !done && (job.partial?.writing ?? 0) === i && job.status === "running",
         done ? done[i] : null)));
}

function accept(suggestion) {
  const draft = $("#write-draft");
  const base = draft.value === asked.prompt ? asked.prompt : draft.value;
  draft.value = base + suggestion.text;
  history.push({ settings: asked, seed: suggestion.seed, proposed: suggestion.text });
  $("#write-suggestions").replaceChildren();
  $("#write-note").textContent = "Taken. Edit it as you like, then ask again or save.";
  draft.focus();
}

async function suggest() {
  const button = $("#write-suggest");
  await busy(button, "write-error", async () => {
    asked = request();
    $("#write-note").textContent = "The model is writing…";
    render({ status: "queued" });
    const job = await api("/api/text/suggest", { method: "POST", body: asked });
    try {
      const ended = await follow(job, { onJob: render });
      render(ended);
      $("#write-seed").value = asked.seed + asked.suggestions;  // asking again gives new ones
      $("#write-note").textContent = "Take one, or ask again for others.";
    } catch (error) {
      $("#write-suggestions").replaceChildren();
      $("#write-note").textContent = "";
      throw error;
    }
  });
}

async function save() {
  await busy($("#write-save"), "write-error", async () => {
    const text = $("#write-draft").value;
    if (!text.trim()) throw new Error("There is nothing to save yet: write something first.");
    const model = $("#write-model").value ? Number($("#write-model").value) : null;
    await api("/api/text/save", { method: "POST",
                                  body: { text, title: $("#write-title").value, model, steps: history } });
    toast("Saved to the gallery.");
    history = [];
    window.dispatchEvent(new Event("works-changed"));
  });
}

export async function init() {
  $("#write-form").addEventListener("change", syncForm);
  $("#write-suggest").addEventListener("click", suggest);
  $("#write-save").addEventListener("click", save);
  syncForm();
  window.addEventListener("models-changed", () => fillModels($("#write-model")));
  try {
    await fillModels($("#write-model"));
  } catch (error) {
    showError("write-error", error);
  }
}

export function remix(settings, model) {
  const set = (id, value) => { if (value !== undefined && value !== null) $(`#${id}`).value = value; };
  set("write-draft", settings.prompt);
  set("write-title", settings.title);
  set("write-form", settings.form);
  $("#write-rhyme").checked = Boolean(settings.rhyme);
  for (const [id, key] of [["write-length", "length"], ["write-temperature", "temperature"],
                           ["write-top-p", "top_p"], ["write-seed", "seed"]]) {
    set(id, settings[key]);
    $(`#${id}`).dispatchEvent(new Event("input"));
  }
  if (model && [...$("#write-model").options].some((o) => o.value === String(model))) {
    $("#write-model").value = String(model);
  }
  history = [];
  syncForm();
}
