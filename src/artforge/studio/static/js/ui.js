// Small helpers every tab uses: elements, errors, sliders, model lists, progress, seeds.
import { api } from "./api.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// el("div", {class: "x", onclick: f}, child, "text", ...)
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function toast(message, bad = false) {
  const note = el("div", { class: bad ? "toast bad" : "toast", text: message });
  $("#toasts").append(note);
  setTimeout(() => note.remove(), bad ? 8000 : 4000);
}

// Show `error` (an Error or a string) in the box `id`, or hide the box with null.
export function showError(id, error) {
  const box = $(`#${id}`);
  box.hidden = !error;
  box.textContent = error ? (error.message || String(error)) : "";
}

// Sliders show their value in the <output for=...> beside them.
export function bindOutputs(root = document) {
  for (const output of $$("output[for]", root)) {
    const input = $(`#${output.getAttribute("for")}`);
    const show = () => { output.textContent = input.value; };
    input.addEventListener("input", show);
    show();
  }
}

export function randomSeed() {
  return Math.floor(Math.random() * 1_000_000);
}

export function bindDice(root = document) {
  for (const button of $$("button[data-seed]", root)) {
    button.addEventListener("click", () => { $(`#${button.dataset.seed}`).value = randomSeed(); });
  }
}

export const number = (id) => Number($(`#${id}`).value);

// Fill a <select> with the models of `medium`; says what to do when there is none.
export async function fillModels(select) {
  const medium = select.dataset.medium;
  const keep = select.value;
  const models = await api(`/api/models?medium=${medium}`);
  select.replaceChildren();
  if (!models.length) {
    select.append(el("option", { value: "", text: "No model yet: train one in Training" }));
    select.disabled = true;
    return models;
  }
  select.disabled = false;
  for (const model of models) {
    const step = model.step ? ` · step ${model.step}` : "";
    select.append(el("option", { value: model.id, text: `${model.name}${step} (${model.kind})`,
                                 "data-hints": model.hints === undefined ? undefined
                                   : String(model.hints) }));
  }
  if (keep && models.some((m) => String(m.id) === keep)) select.value = keep;
  return models;
}

export function requireModel(select) {
  if (!select.value) throw new Error("There is no model to use yet: train one in the Training tab.");
  return Number(select.value);
}

// A progress bar <div class="progress"><div></div></div>: a fraction, or null for "working".
export function setProgress(bar, fraction) {
  bar.hidden = false;
  bar.classList.toggle("indeterminate", fraction === null);
  bar.firstElementChild.style.width = fraction === null ? "" : `${Math.round(fraction * 100)}%`;
}

// Run `work` with `button` disabled and a note shown; errors go to the error box `errorId`.
export async function busy(button, errorId, work) {
  button.disabled = true;
  showError(errorId, null);
  try {
    return await work();
  } catch (error) {
    showError(errorId, error);
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function describeJob(job) {
  const percent = job.status === "running" ? ` ${Math.round(job.progress * 100)}%` : "";
  return `${job.status}${percent}${job.message ? ` · ${job.message}` : ""}`;
}
