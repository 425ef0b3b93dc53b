"""The Style tab's live preview: the instant model paints the photo again while the strength
slider moves, answered at once as a PNG (not a job, not kept; *Stylise* keeps a work).

The photo's features and the style's code are cached, so a slider move only renders (a few
hundredths of a second at 512 px on a CPU). A model without those parts (adain) paints in
one pass from the cached pictures.
"""

import dataclasses
import io
import threading
import warnings
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from pydantic import Field

from artforge.studio.tasks import style as style_task

if TYPE_CHECKING:  # the library is imported at the first preview, not with the studio
    import numpy as np

MAX_SIDE = 768
"""The longest side a live preview has: the Size slider's largest value."""
KEEP_PHOTOS = 4
"""Photos whose features stay cached (about 16 MB each at 768 px for builtin:instant)."""
KEEP_STYLES = 16
"""Styles whose codes stay cached (a few kB each)."""


class LiveStyleRequest(style_task.StyleLook):
    """Paint an uploaded photo in a style at once, where the (optional) mask is white."""

    content: str = Field(max_length=32, description="The uploaded photo's id.")
    mask: str | None = Field(None, max_length=32, description="An uploaded mask's id: white "
                                                              "where the style goes.")
    size: int = Field(384, ge=64, le=MAX_SIDE, description="Longer side of the preview in "
                                                           "pixels (a smaller photo keeps its "
                                                           "own).")


@dataclasses.dataclass
class Photo:
    pixels: "np.ndarray"
    """(H, W, 3) floats in [0, 1]: the photo at the preview's size."""
    encoded: Any
    """What the model renders from: the instant model's features, else the picture itself."""


def _remember(cache: OrderedDict, key: tuple, keep: int, make: Any) -> Any:
    """cache[key], made by `make()` when missing; the least recently used beyond `keep` go."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    cache[key] = made = make()
    while len(cache) > keep:
        cache.popitem(last=False)
    return made


def _read_photo(path: str, size: int) -> "np.ndarray":
    """The photo as (H, W, 3) floats, its longer side at most `size`, shrunk quietly: the
    page asked for that size, which is no surprise to warn about."""
    from artforge.data.pictures import StyleWarning, open_picture, to_array

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StyleWarning)
        return to_array(open_picture(path, size, what="picture"))


class LivePainter:
    """The model that `INSTANT_MODEL` names, photos' features keyed by (upload id, size) and
    styles' codes keyed by style, all behind one lock: a model serves one thread at a time,
    and two renders at once would only share the same CPU cores."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spec: str | None = None
        self._model: Any = None
        self._photos: OrderedDict[tuple, Photo] = OrderedDict()
        self._codes: OrderedDict[tuple, Any] = OrderedDict()

    def paint(self, request: LiveStyleRequest, paths: dict[str, str | None]) -> bytes:
        """The preview as PNG bytes; `paths`: the content, style and mask resolved by the
        route (the style as builtin:NAME or an uploaded picture's path)."""
        from artforge.style.works import to_numpy

        alpha = style_task.instant_alpha(request.style_strength)
        with self._lock:
            model = self._current_model()
            photo = _remember(self._photos, (request.content, request.size), KEEP_PHOTOS,
                              lambda: self._encode(paths["content"], request.size))
            code = _remember(self._codes, (request.style,), KEEP_STYLES,
                             lambda: self._style_code(paths["style"]))
            if hasattr(model, "render"):
                made = model.render(photo.encoded, code, alpha)
            else:
                made = model.stylize(photo.encoded, [code], None, alpha)
        return _png(_finish(to_numpy(made), photo.pixels, request.preserve_color,
                            paths["mask"]))

    def _current_model(self) -> Any:
        """The model `INSTANT_MODEL` names now, loaded once; another one empties the caches,
        whose features and codes belong to the model that made them."""
        spec = style_task.INSTANT_MODEL
        if spec != self._spec:
            from artforge.core.device import set_threads
            from artforge.style.stylize import load_style_model

            set_threads()
            self._model, _ = load_style_model(spec, "cpu")
            self._spec = spec
            self._photos.clear()
            self._codes.clear()
        return self._model

    def _encode(self, path: str, size: int) -> Photo:
        from artforge.style.works import to_tensor

        pixels = _read_photo(path, size)
        picture = to_tensor(pixels)
        return Photo(pixels, self._model.encode(picture) if hasattr(self._model, "encode")
                     else picture)

    def _style_code(self, spec: str) -> Any:
        from artforge.data.pictures import open_picture
        from artforge.style.works import to_tensor

        picture = to_tensor(open_picture(spec, what="style picture"))
        if hasattr(self._model, "style_code"):
            return self._model.style_code([picture])
        return self._model.square_styles([picture])  # encoded at its square size once


def _finish(result: "np.ndarray", photo: "np.ndarray", preserve_color: bool,
            mask: str | None) -> "np.ndarray":
    """What `artforge.style.stylize.stylize_images` does to a painted picture: the photo's
    colours kept if asked, the photo itself outside the mask."""
    from artforge.data.pictures import open_picture
    from artforge.style.stylize import finish_painting

    mask_picture = None if mask is None else open_picture(mask, what="mask")
    return finish_painting(result, photo, preserve_color, mask_picture, mask)


def _png(pixels: "np.ndarray") -> bytes:
    """PNG bytes, rounded from float32 as the saved works are (the same pixels), compressed
    lightly: a preview is seen once and soon replaced."""
    import numpy as np

    from artforge.data.pictures import from_array

    buffer = io.BytesIO()
    from_array(pixels.astype(np.float32)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
