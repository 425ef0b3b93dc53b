"""The Style tab's live preview (POST /api/style/live): a PNG at once from a tiny seeded
instant model, the photo's features and the style's code cached between slider moves, the same
picture as the instant job paints, and one clear error for a bad request."""

import io
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from artforge.data.pictures import StyleWarning
from artforge.studio.tasks import style
from artforge.style.instant_model import InstantModel
from tests.studio.conftest import midi_bytes, photo_png, tiny_instant, upload
from tests.studio.live import share_weights

PAINTING = "builtin:hokusai-great-wave"


def tiny_adain(folder: Path) -> Path:
    from artforge.style.adain_model import AdaINConfig, AdaINModel

    torch.manual_seed(0)
    return AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32)).save(folder)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    """Tiny tensors gain nothing from a second thread on a busy machine."""
    before = torch.get_num_threads()
    monkeypatch.setenv("ARTFORGE_THREADS", "1")
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def instant(tmp_path, monkeypatch) -> Path:
    """A tiny untrained instant model is the studio's INSTANT_MODEL."""
    folder = tiny_instant(tmp_path / "instant")
    monkeypatch.setattr(style, "INSTANT_MODEL", str(folder))
    return folder


@pytest.fixture
def photo(client) -> str:
    return upload(client, "image", photo_png(), "photo.png").json()["id"]


def live(client, photo: str, **settings):
    return client.post("/api/style/live", json={"content": photo, "style": PAINTING,
                                                **settings})


def pixels(answer) -> np.ndarray:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "image/png"
    return np.asarray(Image.open(io.BytesIO(answer.content)), dtype=float)


def test_the_preview_is_a_png_of_the_asked_size(client, instant, photo):
    answer = live(client, photo, size=64)
    assert answer.headers["cache-control"] == "no-store"
    assert pixels(answer).shape == (43, 64, 3)  # 96x64 shrunk to 64 on its longer side
    assert pixels(live(client, photo, size=384)).shape == (64, 96, 3)  # a small photo: its own


def test_a_slider_move_only_renders(client, instant, photo, monkeypatch):
    calls = {"encode": 0, "style_code": 0}
    for name in calls:
        original = getattr(InstantModel, name)

        def counted(self, *args, name=name, original=original):
            calls[name] += 1
            return original(self, *args)

        monkeypatch.setattr(InstantModel, name, counted)
    strong = pixels(live(client, photo, style_strength=5))
    faint = pixels(live(client, photo, style_strength=1))
    assert np.abs(strong - faint).mean() > 1
    assert np.array_equal(pixels(live(client, photo, style_strength=5)), strong)
    kept = pixels(live(client, photo, style_strength=5, preserve_color=True))
    assert not np.array_equal(kept, strong)
    assert calls == {"encode": 1, "style_code": 1}
    live(client, photo, size=64)  # another size: the photo again, the style from the cache
    live(client, photo, style="builtin:van-gogh-starry-night")
    assert calls == {"encode": 2, "style_code": 2}


@pytest.mark.parametrize("make", [tiny_instant, tiny_adain])
def test_the_preview_is_the_picture_the_job_paints(client, photo, home, tmp_path,
                                                   tmp_path_factory, monkeypatch, make):
    """Cached features and code (instant) or pictures (adain, which has only `stylize`) give
    the picture stylize_images paints, with the mask and the photo's colours."""
    from artforge.style.stylize import stylize_images

    if make is tiny_adain:
        share_weights(home, tmp_path_factory.getbasetemp())
    folder = make(tmp_path / "model")
    monkeypatch.setattr(style, "INSTANT_MODEL", str(folder))
    mask = Image.new("L", (96, 64), 0)
    mask.paste(255, (0, 0, 48, 64))
    buffer = io.BytesIO()
    mask.save(buffer, "PNG")
    mask_id = upload(client, "image", buffer.getvalue(), "mask.png").json()["id"]
    made = pixels(live(client, photo, mask=mask_id, size=64, style_strength=4,
                       preserve_color=True))
    uploads = home / "studio" / "uploads"
    with pytest.warns(StyleWarning, match="shrunk to 64 px"):  # the preview shrinks quietly
        [painted] = stylize_images(folder, uploads / photo / "file.png", tmp_path / "job.png",
                                   styles=[PAINTING], alpha=style.instant_alpha(4),
                                   preserve_colour="luminance", max_side=64,
                                   mask=uploads / mask_id / "file.png", catalog=False)
    expected = np.asarray(Image.open(painted), dtype=float)
    assert made.shape == (43, 64, 3) and np.array_equal(made, expected)


@pytest.mark.parametrize("change, status, words", [
    ({"content": "0" * 32}, 404, "upload was not found"),
    ({"content": "../../catalog"}, 400, "not an upload id"),
    ({"style": "builtin:nope"}, 400, "no built-in painting 'builtin:nope'"),
    ({"style": "MIDI"}, 400, "this needs image"),
    ({"mask": "f" * 32}, 404, "upload was not found"),
    ({"size": 1024}, 422, "size: Input should be less than or equal to 768"),
    ({"style_strength": 6}, 422, "style_strength"),
    ({"detail": "fine"}, 422, "detail: Extra inputs are not permitted"),
])
def test_bad_preview_requests_get_one_clear_error(client, instant, photo, change, status,
                                                  words):
    if change.get("style") == "MIDI":
        change = {"style": upload(client, "midi", midi_bytes()).json()["id"]}
    answer = client.post("/api/style/live", json={"content": photo, "style": PAINTING,
                                                  **change})
    assert answer.status_code == status
    assert words in answer.json()["error"]


def test_a_missing_model_is_a_clear_error_and_the_page_header_is_needed(client, photo,
                                                                       tmp_path, monkeypatch):
    monkeypatch.setattr(style, "INSTANT_MODEL", str(tmp_path / "nothing"))
    missing = live(client, photo)
    assert missing.status_code == 400 and "nothing" in missing.json()["error"]
    unmarked = client.post("/api/style/live", headers={"X-Artforge": ""},
                           json={"content": photo, "style": PAINTING})
    assert unmarked.status_code == 403 and "X-Artforge: 1" in unmarked.json()["error"]
