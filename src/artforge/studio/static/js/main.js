// The page: tabs, which features this studio has, the jobs panel, and remix between tabs.
import { api } from "./api.js";
import { $, $$, bindDice, bindOutputs, el, toast } from "./ui.js";
import * as activity from "./activity.js";
import * as gallery from "./gallery.js";
import * as melodies from "./melodies.js";
import * as music from "./music.js";
import * as pictures from "./pictures.js";
import * as style from "./style.js";
import * as training from "./training.js";
import * as write from "./write.js";

const TABS = { write, music, pictures, style, gallery, training };
const REMIX_TAB = { text: "write", music: "music", image: "pictures", style: "style" };

function showTab(name) {
  if (!TABS[name]) name = "write";
  for (const button of $$(".tabs button")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === name));
  }
  for (const panel of $$("main > section")) panel.hidden = panel.id !== name;
  TABS[name].shown?.();
}

// A feature this installation lacks: its part of the page says so instead of failing later.
function markUnavailable(features) {
  for (const part of $$("[data-feature]")) {
    const state = features[part.dataset.feature];
    if (!state || state.available) continue;
    const notice = el("div", { class: "unavailable", role: "note" },
                      el("strong", { text: `${state.label} is unavailable. ` }),
                      `${state.reason.split(": ").slice(1).join(": ") || state.reason}`);
    if (part.getAttribute("role") === "tabpanel") {
      part.replaceChildren(notice);  // a whole tab: it says why instead
    } else {
      part.hidden = true;
      part.before(notice);
    }
  }
}

// A tab whose feature is missing has no controls to set up.
const usable = (name, features) => {
  const feature = $(`#${name}`).dataset.feature;
  return !feature || features[feature]?.available;
};

async function start() {
  bindOutputs();
  bindDice();
  for (const button of $$(".tabs button")) {
    button.addEventListener("click", () => { location.hash = button.dataset.tab; });
  }
  window.addEventListener("hashchange", () => showTab(location.hash.slice(1)));
  if (new URLSearchParams(location.search).has("token")) {
    history.replaceState(null, "", location.pathname + location.hash);  // the cookie has it now
  }
  let status;
  try {
    status = await api("/api/status");
  } catch (error) {
    toast(error.message, true);
    return;
  }
  $("#home-path").textContent = status.home;
  markUnavailable(status.features);
  for (const [name, tab] of Object.entries(TABS)) {
    if (!usable(name, status.features)) continue;
    try {
      await tab.init?.(status);
    } catch (error) {
      toast(`The ${name} tab could not start: ${error.message}`, true);
    }
  }
  if (usable("music", status.features)) await melodies.init(status);
  activity.init();
  window.addEventListener("remix", (event) => {
    const { tab, settings, model } = event.detail;
    const name = REMIX_TAB[tab];
    location.hash = name;
    TABS[name].remix?.(settings, model);
    toast("Settings of the work are loaded: change them and make it again.");
  });
  showTab(location.hash.slice(1) || "write");
  document.body.dataset.ready = "true";
}

start();
