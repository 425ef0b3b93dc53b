// Painting on a canvas with the mouse, a pen or a finger: sketches (black on white) and masks
// (a translucent colour over a photo, exported as white-on-black).

export class Painter {
  constructor(canvas, { colour = "#000", background = null, size = () => 4 } = {}) {
    this.canvas = canvas;
    this.colour = colour;
    this.background = background;
    this.size = size;
    this.erasing = false;
    this.painted = false;
    this.last = null;
    canvas.addEventListener("pointerdown", (e) => this.down(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const name of ["pointerup", "pointerleave", "pointercancel"]) {
      canvas.addEventListener(name, () => { this.last = null; });
    }
    this.clear();
  }

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return { x: (event.clientX - box.left) * (this.canvas.width / box.width),
             y: (event.clientY - box.top) * (this.canvas.height / box.height) };
  }

  down(event) {
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    this.last = this.point(event);
    this.stroke(this.last, this.last);
  }

  move(event) {
    if (!this.last) return;
    const next = this.point(event);
    this.stroke(this.last, next);
    this.last = next;
  }

  stroke(from, to) {
    const g = this.canvas.getContext("2d");
    const scale = this.canvas.width / this.canvas.getBoundingClientRect().width || 1;
    g.lineCap = "round";
    g.lineJoin = "round";
    g.lineWidth = this.size() * scale;
    if (this.erasing && !this.background) {
      g.globalCompositeOperation = "destination-out";
      g.strokeStyle = "#000";
    } else {
      g.globalCompositeOperation = "source-over";
      g.strokeStyle = this.erasing ? this.background : this.colour;
    }
    g.beginPath();
    g.moveTo(from.x, from.y);
    g.lineTo(to.x + 0.01, to.y);
    g.stroke();
    g.globalCompositeOperation = "source-over";
    if (!this.erasing) this.painted = true;
  }

  clear() {
    const g = this.canvas.getContext("2d");
    g.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.background) {
      g.fillStyle = this.background;
      g.fillRect(0, 0, this.canvas.width, this.canvas.height);
    }
    this.painted = false;
  }

  // Draw a picture (an <img> or canvas) as large as fits, centred, keeping its shape.
  drawPicture(picture) {
    this.clear();
    const { width, height } = this.canvas;
    const scale = Math.min(width / picture.width, height / picture.height);
    const w = picture.width * scale;
    const h = picture.height * scale;
    this.canvas.getContext("2d").drawImage(picture, (width - w) / 2, (height - h) / 2, w, h);
    this.painted = true;
  }

  // The canvas as a PNG blob.
  png() {
    return new Promise((resolve) => this.canvas.toBlob(resolve, "image/png"));
  }

  // What was painted, as a white-on-black PNG mask of the canvas's size.
  maskPng() {
    const out = document.createElement("canvas");
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const g = out.getContext("2d");
    g.fillStyle = "#000";
    g.fillRect(0, 0, out.width, out.height);
    const source = this.canvas.getContext("2d").getImageData(0, 0, out.width, out.height);
    const target = g.getImageData(0, 0, out.width, out.height);
    for (let i = 3; i < source.data.length; i += 4) {
      if (source.data[i] > 20) target.data.fill(255, i - 3, i);
    }
    g.putImageData(target, 0, 0);
    return new Promise((resolve) => out.toBlob(resolve, "image/png"));
  }
}
