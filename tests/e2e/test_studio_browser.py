"""The studio in a real browser: a new user makes one work with every medium this installation
has, finds them all in the gallery, and still finds them after the studio restarts."""

import io
import json
import urllib.request
import zipfile
from pathlib import Path

from PIL import Image

from tests.studio.live import LiveStudio

JOB_WAIT_MS = 180_000
"""How long a job may take before the test gives up (a busy shared CPU is slow, not broken)."""


def features(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/api/status") as answer:
        return json.load(answer)["features"]


def gallery_ids(url: str) -> list[int]:
    with urllib.request.urlopen(f"{url}/api/works") as answer:
        return [work["id"] for work in json.load(answer)]


def open_page(browser, url: str, errors: list[str]):
    """A fresh page on the studio; script errors in it are collected in `errors`."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    return page


def shoot(page, shots: Path, name: str) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")  # else the sticky header lands mid-picture
    page.screenshot(path=str(shots / f"studio-{name}.png"), full_page=True)


def write_a_poem(page, shots: Path) -> None:
    page.click("#tab-write")
    page.fill("#write-title", "Moonlight")
    page.fill("#write-draft", "床前明月光，")
    page.select_option("#write-form", "jueju5")
    page.click("#write-suggest")
    page.wait_for_selector(".suggestion:nth-child(3) button", timeout=JOB_WAIT_MS)
    shoot(page, shots, "write")
    page.locator(".suggestion button", has_text="Use this").first.click()
    assert page.input_value("#write-draft").startswith("床前明月光，")
    assert len(page.input_value("#write-draft")) > len("床前明月光，")
    page.fill("#write-draft", page.input_value("#write-draft") + "\n")  # the artist's own edit
    page.click("#write-save")
    page.wait_for_selector(".toast:has-text('Saved to the gallery')")


def continue_a_melody(page) -> None:
    page.click("#tab-music")
    for pitch in (60, 64, 67, 72, 67, 64):
        page.click(f".key[data-pitch='{pitch}']")
    page.select_option("#music-key", "C major")
    page.click("#music-go")
    page.wait_for_selector("#music-result:not([hidden])", timeout=JOB_WAIT_MS)
    roll = page.locator("#music-result-roll")
    assert roll.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    src = page.get_attribute("#music-result-audio", "src")
    assert src.endswith(".wav")


def two_bar_melody(path: Path) -> Path:
    import symusic

    score = symusic.Score(480)
    track = symusic.Track(program=0)
    for index, pitch in enumerate((67, 65, 64, 62, 60, 62, 64, 67)):
        track.notes.append(symusic.Note(index * 480, 480, pitch, 80))
    score.tracks.append(track)
    score.dump_midi(path)
    return path


def blend_and_accompany(page, tmp_path: Path) -> None:
    """With the melody played above as A: blend it into B, then add a band to it."""
    page.set_input_files("#blend-file", str(two_bar_melody(tmp_path / "b.mid")))
    page.wait_for_selector("#blend-file-note:has-text('8 notes')")
    page.click("#blend-go")
    page.wait_for_selector("#blend-result:not([hidden]) audio", timeout=JOB_WAIT_MS)
    page.select_option("#band-harmony", "key")
    page.click("#band-go")
    page.wait_for_selector("#band-result:not([hidden]) audio", timeout=JOB_WAIT_MS)


def paint_a_sketch(page) -> None:
    page.click("#tab-pictures")
    canvas = page.locator("#sketch-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 60)
    page.mouse.down()
    for x, y in ((260, 60), (260, 250), (40, 250), (40, 60)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=6)
    page.mouse.up()
    page.click("#sketch-colour-mode")  # a dab of colour inside the square
    page.mouse.move(box["x"] + 120, box["y"] + 150)
    page.mouse.down()
    page.mouse.move(box["x"] + 160, box["y"] + 160, steps=4)
    page.mouse.up()
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.url.endswith(
        "/api/sketch/paint") else None)
    page.click("#sketch-go")
    page.wait_for_selector("#sketch-result:not([hidden])", timeout=JOB_WAIT_MS)
    assert sent and sent[0].get("hints")  # the colour layer went with the lines


def draw_pick_vary_blend(page) -> None:
    page.click("#tab-pictures")
    # The GANs artforge ships come first (the grid below is the first one's).
    page.wait_for_selector("#gan-model option:has-text('builtin:abstract-gan')",
                           state="attached")
    offered = page.locator("#gan-model option").all_inner_texts()
    assert offered[:2] == ["builtin:abstract-gan (dcgan)", "builtin:paintings-gan (dcgan)"]
    page.select_option("#gan-count", "9")
    page.click("#gan-go")
    page.wait_for_selector("#gan-grid button[data-index='8']", timeout=JOB_WAIT_MS)
    page.click("#gan-grid button[data-index='0']")
    page.click("#gan-grid button[data-index='4']")
    page.click("#gan-vary")
    page.wait_for_selector("#gan-strips figure", timeout=JOB_WAIT_MS)
    page.click("#gan-blend")
    page.wait_for_selector("#gan-strips figure:nth-child(2)", timeout=JOB_WAIT_MS)


def stylise_with_mask(page, tmp_path: Path) -> None:
    from artforge.data.photos import load_photo

    photo = tmp_path / "cat.jpg"
    load_photo("chelsea").save(photo)
    page.click("#tab-style")
    page.set_input_files("#style-content", str(photo))
    page.click("#style-paintings button[data-name='van-gogh-starry-night']")
    page.wait_for_selector("#style-preview:not([hidden])")
    mask = page.locator("#style-mask")
    mask.scroll_into_view_if_needed()
    box = mask.bounding_box()
    page.fill("#style-brush", "80")
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()  # the sky and the wall behind the cat
    for x, y in ((0.9, 0.1), (0.9, 0.3), (0.1, 0.3), (0.05, 0.9)):
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
    page.mouse.up()
    page.fill("#style-size", "64")
    page.select_option("#style-detail", "preview")
    page.click("#style-go")
    page.wait_for_selector("#style-result:not([hidden])", timeout=JOB_WAIT_MS)
    optimised = page.get_attribute("#style-result-image", "src")
    page.select_option("#style-detail", "instant")  # the built-in decoder, one pass
    page.click("#style-go")
    # The job's picture, not the live preview that choosing "instant" also shows.
    page.wait_for_function("(before) => { const src = document.querySelector("
                           "'#style-result-image').getAttribute('src'); "
                           "return src !== before && src.startsWith('/api/jobs/'); }",
                           arg=optimised, timeout=JOB_WAIT_MS)


def train_on_my_pictures(page, tmp_path: Path) -> None:
    pictures = tmp_path / "my-pictures.zip"
    with zipfile.ZipFile(pictures, "w") as archive:
        for index in range(8):
            buffer = io.BytesIO()
            colour = (index * 30, 90, 200 - index * 20)
            Image.new("RGB", (20, 20), colour).save(buffer, format="PNG")
            archive.writestr(f"ink/{index}.png", buffer.getvalue())
    page.click("#tab-training")
    page.select_option("#train-medium", "gan")
    page.click("label:has(input[name='train-source'][value='upload'])")
    page.set_input_files("#train-file", str(pictures))
    page.wait_for_selector("#train-file-note:has-text('8 images')")
    page.fill("#train-name", "My ink pictures")
    page.select_option("#train-size", "test")
    page.fill("#train-steps", "6")
    page.click("#train-go")
    page.wait_for_selector(".run .chip.done", timeout=JOB_WAIT_MS)
    page.wait_for_selector("#train-previews img")


def make_everything(page, url: str, shots: Path, tmp_path: Path) -> None:
    available = {name for name, state in features(url).items() if state["available"]}
    assert {"text", "music", "gan", "training"} <= available
    write_a_poem(page, shots)
    continue_a_melody(page)
    shoot(page, shots, "music")
    draw_pick_vary_blend(page)
    shoot(page, shots, "pictures")
    if {"melody", "band"} <= available:
        page.click("#tab-music")
        blend_and_accompany(page, tmp_path)
        shoot(page, shots, "music-more")
    if "sketch" in available:
        paint_a_sketch(page)
        shoot(page, shots, "pictures")
    if "style" in available:
        stylise_with_mask(page, tmp_path)
        shoot(page, shots, "style")
    train_on_my_pictures(page, tmp_path)
    shoot(page, shots, "training")


def check_gallery(page) -> None:
    page.click("#tab-gallery")
    page.wait_for_selector(".work")
    media = set(page.locator(".work").evaluate_all("cards => cards.map(c => c.dataset.medium)"))
    assert {"text", "music", "image"} <= media
    poem = page.locator(".work", has_text="Moonlight")
    poem.get_by_text("How it was made").click()
    assert poem.locator(".provenance dd", has_text="studio.cowrite").count() == 1
    for image in page.locator(".work img").all():
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_a_new_user_makes_one_work_of_each_medium_and_finds_them_after_a_restart(
        browser, studio_home, shots, tmp_path):
    errors: list[str] = []
    with LiveStudio(studio_home) as live:
        page = open_page(browser, live.url, errors)
        make_everything(page, live.url, shots, tmp_path)
        check_gallery(page)
        shoot(page, shots, "gallery")
        made = gallery_ids(live.url)
        page.context.close()
    with LiveStudio(studio_home) as again:
        assert gallery_ids(again.url) == made
        page = open_page(browser, again.url, errors)
        check_gallery(page)
        page.context.close()
    assert errors == [], "script errors in the page"


def test_bad_upload_is_shown_in_the_page(browser, live, tmp_path):
    fake = tmp_path / "not-a-song.mid"
    fake.write_bytes(b"this is not a MIDI file")
    errors: list[str] = []
    page = open_page(browser, live.url, errors)
    page.click("#tab-music")
    page.click("label:has(input[name='music-source'][value='upload'])")
    page.set_input_files("#music-file", str(fake))
    page.wait_for_selector("#music-error:not([hidden])")
    assert "not a MIDI file" in page.inner_text("#music-error")
    page.context.close()
    assert errors == []
