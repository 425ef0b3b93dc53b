"""Stylise pictures with an exported ONNX model, without importing torch.

    python -m artforge.style.onnx_run MODEL.onnx IN OUT [--style S ...] [--alpha A]

Only onnxruntime, numpy and Pillow are loaded, so a cold call answers in a fraction of a
second; `artforge style stylize --model MODEL.onnx` comes here too. IN is a picture or a
folder of them; OUT a .png file or a folder. The PNGs carry their provenance.
"""

import argparse
import hashlib
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from artforge.data.pictures import MAX_SIDE, from_array, open_picture, to_array
from artforge.errors import UserError

PIPELINE = "style.stylize-onnx"
ANY_STYLE_KINDS = ("adain", "instant")
"""Model kinds that paint with any style picture (the others learned one style)."""
SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def load_session(path: Path):
    """The onnxruntime session and the artforge metadata of an exported model."""
    import onnxruntime

    path = Path(path)
    if not path.is_file():
        raise UserError(f"ONNX model {path} does not exist.")
    try:
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for bad files
        raise UserError(f"{path} cannot be loaded as an ONNX model ({str(exc)[:120]}).") from None
    meta = session.get_modelmeta().custom_metadata_map
    if meta.get("artforge_kind") not in ("johnson", *ANY_STYLE_KINDS):
        raise UserError(f"{path} is not a style model exported by artforge style export-onnx.")
    return session, meta


def _padded(photo: np.ndarray, multiple: int) -> np.ndarray:
    """(1, 3, H', W') with the bottom and right reflected up to multiples of `multiple`."""
    height, width = photo.shape[:2]
    bottom, right = -height % multiple, -width % multiple
    mode = "reflect" if min(height, width) > max(bottom, right) else "edge"
    padded = np.pad(photo, ((0, bottom), (0, right), (0, 0)), mode=mode)
    return np.ascontiguousarray(padded.transpose(2, 0, 1)[None], dtype=np.float32)


def squares_of(pictures: Sequence, side: int) -> np.ndarray:
    """(K, 3, side, side) float32 in [0, 1]: each style picture (PIL) stretched to the
    model's square, channel by channel in floats, as the PyTorch models do (bilinear with
    antialiasing, which PIL's float resize matches to 1e-6)."""
    from PIL import Image

    def square(picture) -> np.ndarray:
        pixels = to_array(picture)
        return np.stack([np.asarray(Image.fromarray(pixels[..., channel]).resize(
            (side, side), Image.Resampling.BILINEAR)) for channel in range(3)])

    return np.ascontiguousarray(np.stack([square(p) for p in pictures]), dtype=np.float32)


def _square_styles(styles: Sequence[str], side: int) -> np.ndarray:
    return squares_of([open_picture(spec, what="style picture") for spec in styles], side)


def stylize_array(session, meta: dict[str, str], photo: np.ndarray,
                  styles: np.ndarray | None = None, weights: Sequence[float] = (),
                  alpha: float = 1.0) -> np.ndarray:
    """(H, W, 3) in [0, 1] -> stylised (H, W, 3); adain models also take square styles."""
    height, width = photo.shape[:2]
    feed = {session.get_inputs()[0].name: _padded(photo, int(meta["divisor"]))}
    if meta["artforge_kind"] in ANY_STYLE_KINDS:
        if styles is None or not len(styles):
            raise UserError(f"an {meta['artforge_kind']} model needs at least one --style "
                            "picture.")
        blend = np.asarray(weights or [1.0] * len(styles), dtype=np.float32)
        feed.update(styles=styles, weights=blend / blend.sum(),
                    alpha=np.asarray([alpha], dtype=np.float32))
    elif styles is not None:
        raise UserError("a johnson model paints the one style it learned; --style is for "
                        "adain and instant models.")
    made = session.run(None, feed)[0][0].transpose(1, 2, 0)
    return np.clip(made[:height, :width], 0.0, 1.0)


def _save(picture, out: Path, provenance: dict) -> None:
    """PNG with the same "artforge" iTXt chunk as catalog.provenance.save_png, written
    atomically, without that module's imports (mido) on this cold path."""
    from PIL import PngImagePlugin

    from artforge.core.atomic import write_bytes

    info = PngImagePlugin.PngInfo()
    info.add_itxt("artforge", json.dumps(provenance, sort_keys=True))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", pnginfo=info, compress_level=1)
    write_bytes(out, buffer.getvalue())


def stylize_files(model: str | Path, source: str | Path, out: str | Path, *,
                  styles: Sequence[str] = (), style_weights: Sequence[float] | None = None,
                  alpha: float = 1.0, max_side: int = MAX_SIDE) -> list[Path]:
    """Stylise a picture or a folder of pictures with the ONNX model; return what was written."""
    out = Path(out)
    if not 0.0 <= alpha <= 1.0:
        raise UserError(f"--alpha must be between 0 and 1, not {alpha}.")
    if not str(source).startswith("builtin:"):
        source = Path(source).expanduser()
    if isinstance(source, Path) and source.is_dir():
        pictures = sorted(p for p in source.iterdir() if p.suffix.lower() in SUFFIXES)
        if not pictures or out.suffix:
            raise UserError(f"{source} is a folder: it must hold pictures and --out must be a "
                            "folder.")
        targets = [out / f"{p.stem}.png" for p in pictures]
    else:
        if out.suffix.lower() != ".png":
            raise UserError(f"--out must end in .png, not {out.name}.")
        pictures, targets = [source], [out]
    session, meta = load_session(Path(model))
    squares = _square_styles(styles, int(meta["style_size"])) if styles else None
    digest = hashlib.sha256(Path(model).read_bytes()).hexdigest()
    for picture, target in zip(pictures, targets, strict=True):
        photo = to_array(open_picture(picture, max_side, what="picture"))
        made = stylize_array(session, meta, photo, squares, style_weights or (), alpha)
        _save(from_array(made), target, {
            "pipeline": PIPELINE, "seed": 0, "model": str(model), "model_sha256": digest,
            "params": {"content": str(picture), "styles": list(styles),
                       "style_weights": list(style_weights or []), "alpha": alpha}})
    return targets


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m artforge.style.onnx_run",
                                     description="Stylise pictures with an exported model.")
    parser.add_argument("model")
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--style", action="append", default=[], help="adain: style picture")
    parser.add_argument("--style-weights", default="", help="adain: blend, e.g. 0.7,0.3")
    parser.add_argument("--alpha", type=float, default=1.0, help="adain: style strength 0-1")
    args = parser.parse_args(argv)
    try:
        weights = [float(w) for w in args.style_weights.split(",") if w.strip()] or None
        written = stylize_files(args.model, args.source, args.out, styles=args.style,
                                style_weights=weights, alpha=args.alpha)
    except (UserError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
