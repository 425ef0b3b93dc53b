"""Studio fixtures: an app on a fresh home (with or without its worker processes), a client
that talks to it as the page does, and tiny untrained models in its catalog."""

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from artforge.catalog import records
from artforge.catalog.db import connect
from artforge.core import checkpoint
from artforge.core.registry import MODELS
from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings

BASE_URL = "http://127.0.0.1"
PAGE = {"X-Artforge": "1"}
VERSE = ("床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n"
         "Shall I compare thee to a summer's day?\n")


def save_model(home: Path, name: str, model) -> int:
    """Save `model` under `home`/models and catalogue it; returns its catalog id."""
    folder = checkpoint.save(model, home / "models" / name)
    conn = connect(home / "catalog.db")
    try:
        return records.record_model(None, folder, model.kind, model.config.to_dict(), conn=conn)
    finally:
        conn.close()


def tiny_models(home: Path) -> dict[str, int]:
    """An untrained GPT (characters), LSTM (REMI) and DCGAN, small enough to run at once."""
    from artforge.image.gan.model import GANConfig
    from artforge.music.model import LSTMMusicModel, MusicConfig
    from artforge.music.tokens import make_tokenizer
    from artforge.text.model import GPTConfig, GPTModel
    from artforge.text.tokenizer import TextTokenizer

    torch.manual_seed(0)
    tokenizer = TextTokenizer.train([VERSE], "char")
    gpt = GPTModel(GPTConfig(vocab_size=tokenizer.vocab_size, block_size=32, n_layer=1,
                             n_head=2, n_embd=16), tokenizer)
    tokens = make_tokenizer("REMI")
    lstm = LSTMMusicModel.from_config(MusicConfig(vocab_size=len(tokens), embed=8, hidden=16,
                                                  layers=1, context=64))
    lstm.tokenizer = tokens
    gan = MODELS.get("dcgan").from_config(GANConfig(size=16, z_dim=8, channels=4,
                                                    max_channels=16))
    return {"text": save_model(home, "verse", gpt), "music": save_model(home, "tune", lstm),
            "gan": save_model(home, "faces", gan)}


def more_tiny_models(home: Path) -> dict[str, int]:
    """An untrained pix2pix (reading colour hints), melody VAE and band model."""
    from artforge.image.pix2pix.architectures import Pix2PixConfig
    from artforge.music.band.model import TransformerBandConfig
    from artforge.music.vae.model import MelodyVAEConfig

    torch.manual_seed(0)
    pix2pix = MODELS.get("pix2pix").from_config(Pix2PixConfig(size=32, ngf=8, ndf=8, hints=True))
    vae = MODELS.get("musicvae").from_config(MelodyVAEConfig(
        latent=8, embed=8, encoder_hidden=16, conductor_hidden=16, decoder_hidden=16))
    band = MODELS.get("band-transformer").from_config(TransformerBandConfig(width=16, layers=1,
                                                                            heads=2))
    return {"sketch": save_model(home, "ink", pix2pix), "melody": save_model(home, "walk", vae),
            "band": save_model(home, "quartet", band)}


def studio_client(home: Path, *, workers: bool, **settings) -> TestClient:
    app = create_app(StudioSettings(home=home, **settings), start_workers=workers)
    return TestClient(app, base_url=BASE_URL, headers=PAGE)


@pytest.fixture
def home(artforge_home) -> Path:
    return Path(artforge_home)


@pytest.fixture
def client(home) -> Iterator[TestClient]:
    """The API alone: jobs are queued, no worker runs them; uploads limited to 1 MB."""
    with studio_client(home, workers=False, max_upload_mb=1, max_unpacked_mb=2) as running:
        yield running


@pytest.fixture
def models(home) -> dict[str, int]:
    return tiny_models(home)


def png_bytes(size: tuple[int, int] = (24, 16), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def midi_bytes(bars: int = 1) -> bytes:
    """A scale in quarter notes, four a bar."""
    import symusic

    score = symusic.Score(480)
    track = symusic.Track(program=0)
    for i in range(4 * bars):
        track.notes.append(symusic.Note(i * 480, 480, (60, 62, 64, 65, 67, 69, 71, 72)[i % 8],
                                        80))
    score.tracks.append(track)
    return bytes(score.dumps_midi())


def upload(client: TestClient, kind: str, data: bytes, name: str = "file.bin"):
    return client.post("/api/uploads", data={"kind": kind}, files={"file": (name, data)})


def noise_png(seed: int = 0, size: int = 32) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def canvas_png(size: tuple[int, int] = (256, 256), ground=(255, 255, 255, 255),
               ink=(0, 0, 0, 255), stroke: bool = True) -> bytes:
    """The page's sketch canvas as it uploads it (an RGBA PNG): a pen stroke on its ground."""
    canvas = Image.new("RGBA", size, ground)
    if stroke:
        width, height = size
        ImageDraw.Draw(canvas).line([(width * 0.1, height * 0.8), (width * 0.4, height * 0.2),
                                     (width * 0.9, height * 0.6)], fill=ink,
                                    width=max(1, width // 64), joint="curve")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return buffer.getvalue()


def photo_png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """Colour ramps with seeded noise: a photo-like picture with something to restyle."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 1, width)[None, :, None]
    y = np.linspace(0, 1, height)[:, None, None]
    pixels = np.concatenate([x + 0 * y, y + 0 * x, (1 - x) * y], axis=2) * 0.8
    pixels = pixels + rng.uniform(0, 0.2, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray((pixels * 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def tiny_instant(folder: Path) -> Path:
    """An untrained, seeded, tiny instant style model saved as a folder."""
    from artforge.style.instant_model import InstantConfig, InstantModel

    torch.manual_seed(0)
    return InstantModel.from_config(InstantConfig(width=4, style_size=32)).save(folder)


def zip_bytes(entries: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()
