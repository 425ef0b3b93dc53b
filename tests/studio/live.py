"""A running studio for tests: uvicorn on a free loopback port in a thread, with its real worker
processes; and tiny models trained through the library into a studio home."""

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import torch
import uvicorn

from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings

STARTUP_S = 30.0
VERSE = ("床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。\n\n"
         "白日依山盡，黃河入海流。\n欲窮千里目，更上一層樓。\n\n"
         "春眠不覺曉，處處聞啼鳥。\n夜來風雨聲，花落知多少。\n\n")


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def share_weights(home: Path, session_temp: Path) -> None:
    """Encoder weights converted on first use (VGG16 from ONNX: seconds of work) are made once
    per test session, in a folder every studio home of the session links to."""
    shared = session_temp / "encoder-weights"
    shared.mkdir(exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    (home / "weights").symlink_to(shared, target_is_directory=True)


def _pictures(folder: Path, count: int = 4) -> Path:
    """Small pictures of coloured blocks on paper, for pix2pix to learn line art → picture."""
    import numpy as np
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for index in range(count):
        pixels = np.full((64, 64, 3), 240, np.uint8)
        pixels[10 + 5 * index:44, 8:52] = rng.integers(0, 255, 3)
        Image.fromarray(pixels).save(folder / f"{index}.png")
    return folder


def train_tiny_models(home: Path) -> None:
    """A model of every kind the studio uses, a few steps each, catalogued in `home`: text,
    music, GAN, pix2pix, melody VAE and band."""
    from artforge.core.train_config import TrainConfig
    from artforge.image.gan.model import GANConfig
    from artforge.image.gan.train import gan_train_config, train_gan
    from artforge.image.pix2pix.architectures import Pix2PixConfig
    from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix
    from artforge.music.band.model import TransformerBandConfig
    from artforge.music.band.train import train_band
    from artforge.music.model import MusicConfig
    from artforge.music.train import train_music
    from artforge.music.vae.model import MelodyVAEConfig
    from artforge.music.vae.train import train_vae
    from artforge.text.train import TextTrainOptions, train_text
    from tests.music.fixtures import write_song_folder

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with environment(ARTFORGE_HOME=str(home), ARTFORGE_THREADS="1"):
            data, runs = home / "data", home / "runs"
            data.mkdir(parents=True, exist_ok=True)
            (data / "poems.txt").write_text(VERSE * 4)
            songs = write_song_folder(data / "songs", 4, bad=False)
            small = {"steps": 4, "save_every": 4, "batch_size": 8, "device": "cpu",
                     "log_every": 2}
            train_text(str(data / "poems.txt"), runs / "verse", TrainConfig(**small),
                       TextTrainOptions(block_size=32))
            train_music(str(songs), runs / "songs", TrainConfig(**small),
                        model_config=MusicConfig(embed=16, hidden=32, layers=1, context=64))
            train_gan("builtin:abstract", runs / "abstract", gan_train_config(**small),
                      "dcgan", GANConfig(size=16, z_dim=16, channels=8, max_channels=16),
                      count=16)
            train_pix2pix(str(_pictures(data / "pictures")), runs / "ink",
                          pix2pix_train_config(**{**small, "batch_size": 2}), "pix2pix",
                          Pix2PixConfig(size=32, ngf=8, ndf=8, holdout=0.0, hints=True))
            train_vae(str(songs), runs / "melodies", TrainConfig(**small),
                      model_config=MelodyVAEConfig(latent=8, embed=8, encoder_hidden=16,
                                                   conductor_hidden=16, decoder_hidden=16))
            train_band("builtin:bach", runs / "band", TrainConfig(**small),
                       model_config=TransformerBandConfig(width=16, layers=1, heads=2))
    finally:
        torch.set_num_threads(threads)


class LiveStudio:
    """`with LiveStudio(home) as studio:` serves at `studio.url` until the block ends."""

    def __init__(self, home: Path, token: str | None = None) -> None:
        self.home, self.token = home, token
        self._env = environment(ARTFORGE_THREADS="1")  # worker processes inherit it

    def __enter__(self) -> "LiveStudio":
        self._env.__enter__()
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(StudioSettings(home=self.home, port=self.port, token=self.token))
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [listener]},
                                       daemon=True)
        self.thread.start()
        deadline = time.monotonic() + STARTUP_S
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the studio did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()
        self._env.__exit__(None, None, None)
