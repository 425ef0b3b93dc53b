"""The Style tab in a real browser (the e2e tests' headless chromium): with the Instant detail,
dragging the strength slider repaints the result live, one request at a time, and it ends on
the picture of the slider's last value; a shipped fast style paints with nothing trained."""

import json
import time
import urllib.request

import numpy as np
from PIL import Image

from artforge.studio.tasks import style
from artforge.style.instant_model import InstantModel
from tests.e2e.conftest import browser  # noqa: F401 - the fixture, shared with tests/e2e
from tests.e2e.test_studio_browser import open_page
from tests.studio.conftest import photo_png, tiny_instant
from tests.studio.live import LiveStudio

LIVE = "/api/style/live"
RENDER_S = 0.25
"""Each render is slowed to this, so that the drag's many values meet a request in flight."""
PAINTING = "hokusai-great-wave"
SHOWN_PIXELS = """async (image) => {
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const g = canvas.getContext("2d");
  g.drawImage(image, 0, 0);
  return [canvas.height, canvas.width, Array.from(g.getImageData(0, 0, canvas.width,
                                                                  canvas.height).data)];
}"""


def shown(page) -> np.ndarray:
    """The result picture as the page shows it, (H, W, 3)."""
    height, width, rgba = page.locator("#style-result-image").evaluate(SHOWN_PIXELS)
    return np.array(rgba, dtype=float).reshape(height, width, 4)[..., :3]


def asked(url: str, body: dict) -> np.ndarray:
    request = urllib.request.Request(f"{url}{LIVE}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-Artforge": "1"})
    with urllib.request.urlopen(request) as answer:
        return np.asarray(Image.open(answer), dtype=float)


def test_dragging_the_strength_repaints_the_preview_live(browser, home, tmp_path,  # noqa: F811
                                                         monkeypatch):
    monkeypatch.setattr(style, "INSTANT_MODEL", str(tiny_instant(tmp_path / "instant")))
    render = InstantModel.render

    def slow_render(self, *args):
        time.sleep(RENDER_S)
        return render(self, *args)

    monkeypatch.setattr(InstantModel, "render", slow_render)
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_png())
    sent, flight = [], {"now": 0, "most": 0}

    def started(request) -> None:
        if request.url.endswith(LIVE):
            sent.append(request.post_data_json)
            flight["now"] += 1
            flight["most"] = max(flight["most"], flight["now"])

    def ended(request) -> None:
        if request.url.endswith(LIVE):
            flight["now"] -= 1

    errors: list[str] = []
    with LiveStudio(home) as studio:
        page = open_page(browser, studio.url, errors)
        for event, handler in (("request", started), ("requestfinished", ended),
                               ("requestfailed", ended)):
            page.on(event, handler)
        page.click("#tab-style")
        page.select_option("#style-detail", "instant")
        page.click(f"#style-paintings button[data-name='{PAINTING}']")
        page.set_input_files("#style-content", str(photo))
        page.wait_for_selector("#style-result[aria-busy='false']")
        assert sent[-1]["style_strength"] == 3
        before, first = shown(page), len(sent)
        slider = page.locator("#style-weight").bounding_box()
        middle = slider["y"] + slider["height"] / 2
        page.mouse.move(slider["x"] + 2, middle)
        page.mouse.down()  # at the left end: 1, then dragged to the right end: 5
        page.mouse.move(slider["x"] + slider["width"] - 2, middle, steps=24)
        page.mouse.up()
        page.wait_for_selector("#style-result[aria-busy='false']")
        assert page.input_value("#style-weight") == "5"
        values = {body["style_strength"] for body in sent[first:]}
        # The drag passed through up to 17 values (1 to 5 in quarters): a request for each
        # would be 17, several at once; the page sent a few, one at a time, the last one last.
        assert flight["most"] == 1 and 2 <= len(sent) - first < 9 and 5 in values
        assert sent[-1]["style_strength"] == 5
        after = shown(page)
        assert np.abs(after - before).mean() > 1
        expected = asked(studio.url, {**sent[-1]})
        assert np.abs(after - expected).max() <= 1
        assert page.is_hidden("#style-result-download")  # a preview, not a saved work
        page.context.close()
    assert errors == []


def test_with_nothing_trained_a_shipped_fast_style_paints_the_photo(browser, home,  # noqa: F811
                                                                    tmp_path):
    photo = tmp_path / "photo.png"
    photo.write_bytes(photo_png())
    sent: list[tuple[str, dict]] = []
    errors: list[str] = []

    def started(request) -> None:
        if request.method == "POST" and "/api/style/" in request.url:
            sent.append((request.url, request.post_data_json))

    with LiveStudio(home) as studio:
        page = open_page(browser, studio.url, errors)
        page.on("request", started)
        page.click("#tab-style")
        page.select_option("#style-detail", "instant")
        page.select_option("#style-fast", label="builtin:starry-night")
        assert page.is_disabled("#style-detail") and page.is_disabled("#style-weight")
        page.set_input_files("#style-content", str(photo))
        page.wait_for_selector("#style-preview:not([hidden])")
        page.click("#style-go")
        page.wait_for_selector("#style-result-image[src^='/api/jobs/']", timeout=60_000)
        # A fast style paints its own style: no live preview, and the job names the model.
        [(url, body)] = sent
        assert url.endswith("/api/style/image") and "style" not in body
        assert body["model"] == int(page.input_value("#style-fast"))
        page.select_option("#style-fast", "")  # back to the painting and the detail
        assert not page.is_disabled("#style-detail")
        page.context.close()
    assert errors == []
