// A loss curve on a canvas: training loss (and validation loss where logged) against steps.

const COLOURS = { loss: "#b5452b", val_loss: "#2f6fb0" };

// The canvas's pixels match its size on screen, so lines and labels stay sharp.
function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const box = canvas.getBoundingClientRect();
  if (box.width) {
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
  }
  const g = canvas.getContext("2d");
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { g, width: canvas.width / ratio, height: canvas.height / ratio };
}

export function drawLoss(canvas, records) {
  const { g, width, height } = fit(canvas);
  const pad = { left: 52, right: 14, top: 14, bottom: 30 };
  g.fillStyle = "#fbf9f5";
  g.fillRect(0, 0, width, height);
  const series = Object.keys(COLOURS).map((name) => ({
    name, points: records.filter((r) => Number.isFinite(r[name])).map((r) => [r.step, r[name]]) }))
    .filter((s) => s.points.length);
  g.font = "12px system-ui, sans-serif";
  if (!series.length) {
    g.fillStyle = "#8a8378";
    g.fillText("The loss appears here as the model learns.", pad.left, height / 2);
    return;
  }
  const all = series.flatMap((s) => s.points);
  const maxStep = Math.max(1, ...all.map((p) => p[0]));
  let low = Math.min(...all.map((p) => p[1]));
  let high = Math.max(...all.map((p) => p[1]));
  if (high - low < 1e-6) { high += 0.5; low -= 0.5; }
  const x = (step) => pad.left + (step / maxStep) * (width - pad.left - pad.right);
  const y = (value) => pad.top + (1 - (value - low) / (high - low)) * (height - pad.top - pad.bottom);
  g.strokeStyle = "#e3ddd2";
  g.fillStyle = "#6b655c";
  for (let i = 0; i <= 4; i += 1) {
    const value = low + ((high - low) * i) / 4;
    g.beginPath();
    g.moveTo(pad.left, y(value));
    g.lineTo(width - pad.right, y(value));
    g.stroke();
    g.fillText(value.toFixed(2), 6, y(value) + 4);
  }
  g.fillText("0", pad.left, height - 8);
  g.textAlign = "center";
  g.fillText("steps", (pad.left + width - pad.right) / 2, height - 8);
  g.textAlign = "right";
  g.fillText(String(maxStep), width - pad.right, height - 8);
  g.textAlign = "left";
  for (const { name, points } of series) {
    g.strokeStyle = COLOURS[name];
    g.lineWidth = 2;
    g.beginPath();
    points.forEach(([step, value], i) => (i ? g.lineTo(x(step), y(value)) : g.moveTo(x(step), y(value))));
    g.stroke();
    if (points.length === 1) {
      g.fillStyle = COLOURS[name];
      g.fillRect(x(points[0][0]) - 3, y(points[0][1]) - 3, 6, 6);
    }
  }
  g.lineWidth = 1;
  series.forEach(({ name }, i) => {
    g.fillStyle = COLOURS[name];
    g.fillRect(pad.left + 10 + i * 130, pad.top + 4, 12, 3);
    g.fillStyle = "#24211d";
    g.fillText(name === "loss" ? "training loss" : "validation loss", pad.left + 28 + i * 130, pad.top + 9);
  });
}
