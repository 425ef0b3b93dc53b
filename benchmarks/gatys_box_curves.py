"""Loss curves behind the [0, 1] penalty of artforge's Gatys transfer: variants of the
objective and of the schedule at 512 px, each scored every 10 L-BFGS evaluations by the style
benchmark's reference objective on the clamped picture. Evaluations, not seconds, are
compared, so this runs wherever iterations are cheap (it was run on a lent GPU):

    python benchmarks/gatys_box_curves.py cuda 512 300     (device, size, full-size iterations)

Variants: "plain" (no penalty), "penN" (penalty weight N on the mean squared overshoot, as
artforge now does with N = 1000), "clampobj" (the objective of the clamped picture); the
numbers are iterations at 128, 256 and 512 px.
"""
import json
import sys
import time

import torch

sys.path.insert(0, "benchmarks")
import style_speed as bench  # noqa: E402

import artforge.style.gatys as G  # noqa: E402
from artforge.data.pictures import fit_long_side, open_picture  # noqa: E402
from artforge.style.works import to_tensor  # noqa: E402

G.BOX_WEIGHT = 0.0  # the variants below add their own
device = torch.device(sys.argv[1])
size, full = int(sys.argv[2]), int(sys.argv[3])
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
content = to_tensor(fit_long_side(open_picture(bench.CONTENT), size)).to(device)
painting = open_picture(bench.STYLE)
style = to_tensor(fit_long_side(painting, size)).to(device)
vgg = bench.PlainVGG().to(device)
with torch.no_grad():
    cf = {n: v for n, v in vgg(content).items() if n in bench.CONTENT_LAYERS}
    sg = {n: bench.plain_gram(v) for n, v in vgg(style).items() if n in bench.STYLE_LAYERS}


def score(image):
    with torch.no_grad():
        return float(bench.reference_loss(vgg, image.clamp(0, 1), cf, sg))


base_loss = G._Stage.loss


def penalty(weight):
    def loss(self, image):
        over = (image - 1).relu().square().mean() + (-image).relu().square().mean()
        return base_loss(self, image) + weight * over
    return loss


def clamped(self, image):
    return base_loss(self, image.clamp(0, 1))


results = {}
for name, schedule, patch in [
        ("plain 0,0,300", (0, 0, full), base_loss),
        ("pen1e3 0,0,300", (0, 0, full), penalty(1e3)),
        ("pen1e3 150,90,300", (150, 90, full), penalty(1e3)),
        ("pen1e2 150,90,300", (150, 90, full), penalty(1e2)),
        ("pen1e4 150,90,300", (150, 90, full), penalty(1e4)),
        ("clampobj 0,0,300", (0, 0, full), clamped),
        ("clampobj 150,90,300", (150, 90, full), clamped),
        ("pen1e3 300,150,300", (300, 150, full), penalty(1e3))]:
    G._Stage.loss = patch
    engine = G.GatysTransfer(bench.OPTIONS.replace(size=size, iterations=schedule), device)
    before, curve = sum(schedule[:2]), []

    def snap(step, picture, curve=curve, before=before):
        if step > before:
            curve.append((step - before, round(score(picture), 4)))

    t0 = time.time()
    engine.run(content, [(to_tensor(painting), 1.0)], snapshot=(10, snap))
    results[name] = curve
    print(name, [c for c in curve if c[0] % 50 == 0], round(time.time() - t0, 1), flush=True)
print(json.dumps(results))
