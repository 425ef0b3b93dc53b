// An on-screen keyboard for step entry: each key press adds a note of the chosen length after
// the last one; the notes are drawn as a small piano roll and can be heard with WebAudio.
import { $, el } from "./ui.js";

const LOW = 60;   // middle C
const HIGH = 84;  // two octaves up
const BLACK = new Set([1, 3, 6, 8, 10]);
const NAMES = ["C", "C♯", "D", "D♯", "E", "F", "F♯", "G", "G♯", "A", "A♯", "B"];
const TYPED = "awsedftgyhujk";  // a row of a computer keyboard, C4 to C5

export class StepEntry {
  constructor(keyboard, roll, onChange) {
    this.keyboard = keyboard;
    this.roll = roll;
    this.onChange = onChange;
    this.notes = [];
    this.steps = [];   // what each press added, for undo: {note} or {rest: beats}
    this.cursor = 0;   // beats
    this.audio = null;
    this.build();
    this.draw();
  }

  get length() {
    return Number(document.querySelector('input[name="music-length"]:checked').value);
  }

  build() {
    const whites = [...Array(HIGH - LOW + 1).keys()].map((i) => LOW + i)
      .filter((p) => !BLACK.has(p % 12));
    const width = 100 / whites.length;
    for (let pitch = LOW; pitch <= HIGH; pitch += 1) {
      const black = BLACK.has(pitch % 12);
      const name = NAMES[pitch % 12] + (Math.floor(pitch / 12) - 1);
      const key = el("button", { type: "button", class: black ? "key black" : "key",
                                 "aria-label": name, "data-pitch": pitch,
                                 text: black ? "" : (pitch % 12 === 0 ? name : "") });
      if (black) {
        const whitesBefore = whites.filter((p) => p < pitch).length;
        key.style.left = `calc(${whitesBefore * width}% - 2.1%)`;
      }
      key.addEventListener("click", () => this.add(pitch));
      this.keyboard.append(key);
    }
    document.addEventListener("keydown", (event) => {
      if (this.keyboard.closest("section").hidden || event.target.matches("input, textarea, select")) return;
      const index = TYPED.indexOf(event.key.toLowerCase());
      if (index >= 0 && !event.repeat) {
        this.add(LOW + index);
        const key = this.keyboard.querySelector(`[data-pitch="${LOW + index}"]`);
        key.classList.add("down");
        setTimeout(() => key.classList.remove("down"), 150);
      }
    });
  }

  add(pitch) {
    const note = { pitch, start: this.cursor, length: this.length };
    this.notes.push(note);
    this.steps.push({ note });
    this.cursor += note.length;
    this.sound([note], 0.0, 100);
    this.changed();
  }

  rest() {
    this.steps.push({ rest: this.length });
    this.cursor += this.length;
    this.changed();
  }

  undo() {
    const step = this.steps.pop();
    if (!step) return;
    if (step.note) {
      this.notes.pop();
      this.cursor -= step.note.length;
    } else {
      this.cursor -= step.rest;
    }
    this.changed();
  }

  clear() {
    this.notes = [];
    this.steps = [];
    this.cursor = 0;
    this.changed();
  }

  changed() {
    this.draw();
    this.onChange?.(this.notes);
  }

  draw() {
    const canvas = this.roll;
    const g = canvas.getContext("2d");
    const beats = Math.max(16, Math.ceil((this.cursor + 1) / 4) * 4);
    const x = (beat) => 6 + (beat / beats) * (canvas.width - 12);
    const rowHeight = (canvas.height - 12) / (HIGH - LOW + 1);
    const y = (pitch) => 6 + (HIGH - pitch) * rowHeight;
    g.fillStyle = "#fbf9f5";
    g.fillRect(0, 0, canvas.width, canvas.height);
    for (let beat = 0; beat <= beats; beat += 1) {
      g.fillStyle = beat % 4 === 0 ? "#d6cec1" : "#ece6dc";
      g.fillRect(Math.round(x(beat)), 6, 1, canvas.height - 12);
    }
    g.fillStyle = "#787878";
    for (const note of this.notes) {
      g.fillRect(x(note.start), y(note.pitch), Math.max(2, x(note.start + note.length) - x(note.start) - 2),
                 Math.max(2, rowHeight - 1));
    }
    g.fillStyle = "#b5452b";
    g.fillRect(x(this.cursor), 2, 2, canvas.height - 4);
    if (!this.notes.length) {
      g.fillStyle = "#8a8378";
      g.font = "14px system-ui, sans-serif";
      g.fillText("Your notes appear here", 16, canvas.height / 2 + 5);
    }
  }

  // Play `notes` (beats) starting `delay` seconds from now at `tempo` bpm; a soft triangle wave.
  sound(notes, delay, tempo) {
    this.audio ??= new AudioContext();
    const ctx = this.audio;
    const beat = 60 / tempo;
    for (const note of notes) {
      const start = ctx.currentTime + delay + note.start * beat;
      const end = start + Math.max(0.1, note.length * beat * 0.95);
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "triangle";
      osc.frequency.value = 440 * 2 ** ((note.pitch - 69) / 12);
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, end);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(end + 0.05);
    }
  }

  listen() {
    if (this.notes.length) this.sound(this.notes, 0.05, Number($("#music-tempo").value));
  }
}
