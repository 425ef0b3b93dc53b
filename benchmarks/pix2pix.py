"""pix2pix benchmark: the brief's Pix2PixHD generator as written (section 4.1) against this
project's implementation of the same network, at 256 x 256 pixels, in one process.

Translate: the listing run the plain way (eval mode, `torch.no_grad()`, NCHW) against
artforge's engines on the same weights: "torch" (batch norms folded into the convs,
channels_last, inference_mode) and "onnx" (the folded network exported to ONNX Runtime,
artforge's default on CPU). The outputs must agree to 1e-4; the target is >= 1.5x.
Training: one generator step (forward, L1 loss, backward, Adam) of the listing against
the same step of artforge's network as the Trainer runs it, and in channels_last. Both
with the listing's BatchNorm, and with instance norm (what artforge trains by default).
Runs alternate, after a warm-up; medians are compared.

    .venv/bin/python benchmarks/pix2pix.py [--repeats 5] [--train-repeats 3] [--size 256]
"""

import argparse
import os
import platform
import shutil
import statistics
import tempfile
import time

import torch
import torch.nn as nn

from artforge.image.pix2pix.engine import make_engine
from artforge.image.pix2pix.networks import norm_layer
from artforge.image.pix2pix.networks.pix2pixhd import Pix2PixHDGenerator, ResnetBlock


# The brief's listing, as written (the brief does not define ResnetBlock; Pix2PixHD's is used).
class BriefPix2PixHDGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, n_downsampling=3, n_blocks=9, norm_layer=nn.BatchNorm2d, padding_type='reflect'):  # noqa: E501
        super(BriefPix2PixHDGenerator, self).__init__()  # noqa: UP008

        # 编码器部分
        model = [nn.ReflectionPad2d(3),
                 nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0),
                 norm_layer(ngf),
                 nn.ReLU(True)]

        # 下采样部分
        for i in range(n_downsampling):
            mult = 2**i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1),
                      norm_layer(ngf * mult * 2),
                      nn.ReLU(True)]

        # 残差块部分
        mult = 2**n_downsampling
        for i in range(n_blocks):  # noqa: B007
            model += [ResnetBlock(ngf * mult, padding_type=padding_type, norm_layer=norm_layer)]

        # 上采样部分
        for i in range(n_downsampling):
            mult = 2**(n_downsampling - i)
            model += [nn.ConvTranspose2d(ngf * mult, int(ngf * mult / 2),
                                         kernel_size=3, stride=2,
                                         padding=1, output_padding=1),
                      norm_layer(int(ngf * mult / 2)),
                      nn.ReLU(True)]

        model += [nn.ReflectionPad2d(3)]
        model += [nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0)]
        model += [nn.Tanh()]

        self.model = nn.Sequential(*model)

    def forward(self, input):  # noqa: A002
        return self.model(input)


def _trained_statistics(net: nn.Module) -> nn.Module:
    """Batch-norm statistics and affine parameters away from their initial values, as after
    training, so that folding them is not trivially exact."""
    generator = torch.Generator().manual_seed(1)
    for layer in net.modules():
        if isinstance(layer, nn.BatchNorm2d):
            layer.running_mean.normal_(0, 0.2, generator=generator)
            layer.running_var.uniform_(0.5, 2.0, generator=generator)
            layer.weight.data.normal_(1, 0.2, generator=generator)
            layer.bias.data.normal_(0, 0.2, generator=generator)
    return net


def _median_times(runs: dict, repeats: int) -> dict[str, float]:
    for run in runs.values():  # warm-up: oneDNN picks kernels, ONNX Runtime plans memory
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def translate_case(norm: str, size: int, repeats: int) -> None:
    torch.manual_seed(0)
    layer = nn.BatchNorm2d if norm == "batch" else norm_layer("instance")
    brief = _trained_statistics(BriefPix2PixHDGenerator(1, 3, norm_layer=layer)).eval()
    ours = Pix2PixHDGenerator(1, 3, norm_layer=layer)
    ours.load_state_dict(brief.state_dict())  # the same weights, the same layout
    sketch = torch.rand(1, 1, size, size) * 2 - 1
    engines = {name: make_engine(ours, 1, name, torch.device("cpu"), f"bench-{norm}-{name}")
               for name in ("torch", "onnx")}
    with torch.no_grad():
        reference = brief(sketch)

    def plain() -> torch.Tensor:
        with torch.no_grad():
            return brief(sketch)

    runs = {"brief": plain, **{name: (lambda e=e: e(sketch)) for name, e in engines.items()}}
    seconds = _median_times(runs, repeats)
    for name, engine in engines.items():
        diff = float((engine(sketch) - reference).abs().max())
        print(f"  translate {norm:8s} {name:5s} {seconds[name]:7.3f} s/image  brief "
              f"{seconds['brief']:7.3f} s/image  speed-up {seconds['brief'] / seconds[name]:5.2f}x"
              f"  max |diff| {diff:.1e}  {'ok' if diff < 1e-4 else 'TOO LARGE'}")


def train_case(norm: str, size: int, repeats: int) -> None:
    """The brief's network against the one artforge trains (NCHW, the same ops: what the
    Trainer runs), and that one in channels_last (tried, and not used, when slower)."""
    torch.manual_seed(0)
    layer = nn.BatchNorm2d if norm == "batch" else norm_layer("instance")
    brief = BriefPix2PixHDGenerator(1, 3, norm_layer=layer).train()
    ours = Pix2PixHDGenerator(1, 3, norm_layer=layer).train()
    ours.load_state_dict(brief.state_dict())
    last = Pix2PixHDGenerator(1, 3, norm_layer=layer).train()
    last.load_state_dict(brief.state_dict())
    last = last.to(memory_format=torch.channels_last)
    sketch, target = torch.rand(1, 1, size, size) * 2 - 1, torch.rand(1, 3, size, size) * 2 - 1
    optimizers = {id(net): torch.optim.Adam(net.parameters(), 2e-4, betas=(0.5, 0.999))
                  for net in (brief, ours, last)}

    def step(net: nn.Module, x: torch.Tensor) -> None:
        optimizer = optimizers[id(net)]
        optimizer.zero_grad(set_to_none=True)
        torch.nn.functional.l1_loss(net(x), target).backward()
        optimizer.step()

    channels_last = sketch.contiguous(memory_format=torch.channels_last)
    seconds = _median_times({"brief": lambda: step(brief, sketch),
                             "ours": lambda: step(ours, sketch),
                             "channels_last": lambda: step(last, channels_last)}, repeats)
    for name in ("ours", "channels_last"):
        print(f"  train     {norm:8s} {name:13s} {seconds[name]:7.3f} s/step   brief "
              f"{seconds['brief']:7.3f} s/step   speed-up {seconds['brief'] / seconds[name]:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--train-repeats", type=int, default=3)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    from artforge.core.device import set_threads

    home = tempfile.mkdtemp(prefix="pix2pix-bench-")
    os.environ["ARTFORGE_HOME"] = home  # the exported ONNX files go here, not to your cache

    threads = set_threads()
    print(f"pix2pix: Pix2PixHDGenerator(1, 3) ngf 64, 3 downsamplings, 9 blocks, one "
          f"{args.size}x{args.size} sketch, {args.repeats} alternating repeats, {threads} "
          f"threads, torch {torch.__version__}, {platform.machine()}")
    for norm in ("batch", "instance"):
        translate_case(norm, args.size, args.repeats)
    for norm in ("batch", "instance"):
        train_case(norm, args.size, args.train_repeats)
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
