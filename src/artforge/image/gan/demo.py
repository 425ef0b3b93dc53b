"""The GAN part of `artforge demo`. First the GANs artforge ships draw a grid each at once
(builtin:abstract-gan: abstract compositions; builtin:paintings-gan: painterly pictures). Then,
as a second part, a small GAN trains here on builtin:abstract for about a minute and draws a
grid beside the pictures it learned from.

Each call continues the run folder under `out_dir` if there is one, so the trained grid gets
better every time the demo is run again.
"""

from pathlib import Path

from artforge.core.medium import Work

RUN_NAME = "gan-abstract-run"
DEMO_DATA = "builtin:abstract"
DEMO_SECONDS = 60
SHIPPED_GRIDS = (("builtin:abstract-gan", "New abstract compositions"),
                 ("builtin:paintings-gan", "New painterly pictures"))
"""(shipped model, title) of each grid the demo draws with no training."""
SHIPPED_COUNT = 16


def demo_setup():
    """The demo's model and training options: the tuned recipe (artforge.image.gan.model and
    train) at 32 px, with the same widths per resolution as its 64 px default."""
    from artforge.image.gan.model import GANConfig

    config = GANConfig(size=32, z_dim=64, channels=16)
    return "dcgan", config, dict(save_every=250, log_every=50)


def shipped_grids(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """A grid of SHIPPED_COUNT pictures from each GAN of SHIPPED_GRIDS, drawn at once (seconds,
    no training)."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.core import checkpoint
    from artforge.image.gan.pipeline import gan_model_folder, sample_gan
    from artforge.image.medium import MEDIUM

    works = []
    shipped = {model.name: model.label for model in MEDIUM.shipped}
    for name, title in SHIPPED_GRIDS:
        if name not in shipped:
            continue
        path = Path(out_dir) / "works" / f"{name.removeprefix('builtin:')}-samples.png"
        sample_gan(name, path, n=SHIPPED_COUNT, seed=seed, device=device)
        header = checkpoint.read_header(gan_model_folder(name))
        side = header["config"]["size"]
        caption = (f"{SHIPPED_COUNT} pictures by {name}, a GAN artforge ships (no training on "
                   f"this machine): a {header['kind'].upper()} that draws {shipped[name]} at "
                   f"{side}x{side} px from random noise (seed {seed}). Its card says what it "
                   "learned from.")
        works.append(Work(f"{title} by {name}", "image", path, caption=caption,
                          provenance=read_png_provenance(path) or {}))
    return works


def trained_grid(out_dir: Path, *, seed: int = 0, device: str = "auto",
                 minutes: float = DEMO_SECONDS / 60) -> list[Work]:
    """Train (or continue) the demo GAN for about a minute, then write a 6x6 sample grid and
    a 6x6 sheet of training pictures beside it; return them as demo Works."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.core import checkpoint, distributed
    from artforge.data.image_folders import load_image_set
    from artforge.image.gan.pipeline import sample_gan
    from artforge.image.gan.sampling import grid_image
    from artforge.image.gan.train import gan_train_config, train_gan

    out_dir = Path(out_dir)
    run = out_dir / RUN_NAME
    arch, config, options = demo_setup()
    resume = checkpoint.latest_checkpoint(run) is not None
    train = gan_train_config(steps=1_000_000, minutes=minutes, seed=seed,
                             device=device, **options)
    result = train_gan(DEMO_DATA, run, train, arch, config, count=500, resume=resume)
    if not distributed.is_main():  # under torchrun, only rank 0 writes the works
        return []
    works_dir = out_dir / "works"
    grid_path = sample_gan(run, works_dir / "gan-abstract-samples.png", n=36, seed=seed)
    real = load_image_set(DEMO_DATA, config.size, count=500, seed=seed).images[:36]
    real_path = works_dir / "gan-abstract-training.png"
    real_path.parent.mkdir(parents=True, exist_ok=True)
    grid_image(real.float() / 255.0).save(real_path)
    total = result.step
    return [
        Work("Abstract compositions from a GAN trained here in a minute", "image", grid_path,
             caption=f"36 pictures a small {arch.upper()} made from random noise at "
                     f"{config.size}x{config.size} px after {total} training steps here on 500 "
                     "procedurally generated abstract compositions (about a minute of CPU per "
                     "demo run; run the demo again to keep training).",
             provenance=read_png_provenance(grid_path) or {}),
        Work("What it learned from", "image", real_path,
             caption="36 of the 500 training compositions (grids after Mondrian, circles after "
                     "Kandinsky, colour fields after Rothko), for comparison."),
    ]
