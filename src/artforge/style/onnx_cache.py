"""Style model folders exported to ONNX once and kept in the cache, so that `artforge style
stylize` can run any model folder through onnxruntime without importing torch.

An export is named by a hash of the folder's config and weights and of the artforge version
(another version may export the same weights differently): a retrained or fine-tuned model gets
a new file, an unchanged one is found again by reading its two files. Only the export itself,
once per model, imports torch.
"""

import hashlib
from pathlib import Path

from artforge import __version__
from artforge.core.checkpoint_layout import folder_hash, resolve
from artforge.data.cache import cache_path
from artforge.data.shipped_models import model_folder
from artforge.style.medium import MEDIUM

CACHE_FOLDER = "onnx"


def export_key(folder: Path) -> str:
    """sha256 of the model's config and weights and of this artforge's version."""
    return hashlib.sha256(f"{__version__}:{folder_hash(folder)}".encode()).hexdigest()


def cached_onnx(spec: str | Path) -> tuple[Path, Path]:
    """The model folder `spec` names (a model or run folder, or builtin:NAME) and its ONNX
    export in the cache, which is made (and checked against PyTorch) on first use."""
    folder = resolve(model_folder(spec, MEDIUM.shipped, "style"))
    path = cache_path(CACHE_FOLDER, f"style-{export_key(folder)[:24]}.onnx")
    if not path.is_file():
        from artforge.style.onnx_export import export_onnx

        export_onnx(folder, path)
    return folder, path
