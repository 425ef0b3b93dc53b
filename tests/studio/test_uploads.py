"""Uploads: limits, decoding checks, and names that never become paths."""

import json
import os

import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from tests.studio.conftest import midi_bytes, png_bytes, studio_client, upload, zip_bytes


def test_a_picture_is_kept_under_a_name_the_studio_makes(client, home):
    answer = upload(client, "image", png_bytes((40, 30)), "../../holiday photo.png")
    assert answer.status_code == 201
    meta = answer.json()
    assert (meta["kind"], meta["name"], meta["width"], meta["height"], meta["file"]) == (
        "image", "holiday photo.png", 40, 30, "file.png")
    folder = home / "studio" / "uploads" / meta["id"]
    assert sorted(p.name for p in folder.iterdir()) == ["file.png", "meta.json"]
    assert "path" not in meta and not (home / "holiday photo.png").exists()


@pytest.mark.parametrize("kind, data, status, words", [
    ("image", b"GIF89a but not really", 415, "not a picture"),
    ("image", b"", 400, "empty"),
    ("midi", b"MThd\x00\x00\x00\x06 broken", 415, "not a MIDI file"),
    ("text", "caf\xe9".encode("latin-1"), 415, "not UTF-8"),
    ("text", b"   \n", 400, "holds no text"),
    ("zip", png_bytes(), 415, "not a zip"),
    ("video", b"\x00\x00\x00\x18ftypisom" + os.urandom(200), 415, "could not be decoded"),
    ("video", b"plain text", 415, "not a video"),
    ("sculpture", b"x", 400, "unknown upload kind"),
])
def test_content_that_does_not_decode_is_refused(client, home, kind, data, status, words):
    answer = upload(client, kind, data)
    assert answer.status_code == status and words in answer.json()["error"]
    uploads = home / "studio" / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_midi_text_and_video_uploads_report_what_they_hold(client, tmp_path):
    assert upload(client, "midi", midi_bytes(), "theme.mid").json()["notes"] == 4
    assert upload(client, "text", "春眠不覺曉".encode()).json()["characters"] == 5
    frames = np.zeros((3, 32, 48, 3), np.uint8)
    clip = iio.imwrite("<bytes>", frames, extension=".mp4", fps=5, macro_block_size=1)
    video = upload(client, "video", clip, "clip.mp4").json()
    assert (video["width"], video["height"], video["file"]) == (48, 32, "file.mp4")


def test_uploads_over_the_limit_are_refused(client, home):
    big = b"\x89PNG" + b"0" * (1024 * 1024 + 10)
    answer = upload(client, "image", big)
    assert answer.status_code == 413 and "upload limit of 1 MB" in answer.json()["error"]
    assert not (home / "studio" / "uploads").exists() or not any(
        (home / "studio" / "uploads").iterdir())


def test_too_many_pixels_are_refused(home):
    with studio_client(home, workers=False, max_pixels=300) as small:
        answer = upload(small, "image", png_bytes((24, 16)))
    assert answer.status_code == 413 and "24×16" in answer.json()["error"]


def test_a_png_bomb_gets_the_megapixel_message(client, home):
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)  # 30000 x 30000 RGB
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
    answer = upload(client, "image", bomb, "bomb.png")
    assert answer.status_code == 413 and "megapixels" in answer.json()["error"], answer.text
    assert not any((home / "studio" / "uploads").iterdir())


def test_a_zip_unpacks_inside_its_folder_and_counts_its_files(client, home):
    data = zip_bytes({"ink/a.png": png_bytes(), "ink/deep/b.jpg": b"x", "notes.txt": b"hi",
                      "__MACOSX/._a.png": b"fork", ".hidden": b"x", "song.mid": midi_bytes()},
                     links={"ink/escape": "/etc/passwd"})
    meta = upload(client, "zip", data, "pictures.zip").json()
    assert (meta["images"], meta["music"], meta["texts"], meta["other"]) == (2, 1, 1, 0)
    root = home / "studio" / "uploads" / meta["id"] / "files"
    found = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert found == ["ink/a.png", "ink/deep/b.jpg", "notes.txt", "song.mid"]


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "ok/../../evil.txt",
                                  "C:/evil.txt", "..\\evil.txt"])
def test_a_zip_entry_that_climbs_out_is_refused(client, home, name):
    answer = upload(client, "zip", zip_bytes({"fine.txt": b"a", name: b"b"}))
    assert answer.status_code == 400 and "points outside" in answer.json()["error"]
    assert not list(home.rglob("evil.txt")) and not (home.parent / "evil.txt").exists()


@pytest.mark.parametrize("entries, words", [
    ({"a": b"file", "a/b.png": b"under a file"}, "both a file and a folder"),
    ({"a/b.png": b"under a folder", "a": b"file"}, "both a file and a folder"),
    ({"x" * 300 + ".txt": b"long"}, "name over 255 bytes"),
])
def test_a_zip_whose_layout_cannot_be_unpacked_is_400(client, home, entries, words):
    answer = upload(client, "zip", zip_bytes(entries))
    assert answer.status_code == 400 and words in answer.json()["error"], answer.text
    assert not any((home / "studio" / "uploads").iterdir())


def test_a_zip_that_unpacks_too_big_is_refused(client, home):
    bomb = zip_bytes({f"zeros{i}.txt": b"\0" * (1024 * 1024) for i in range(3)})
    assert len(bomb) < 1024 * 1024
    answer = upload(client, "zip", bomb)
    assert answer.status_code == 413 and "unpacks to more than 2 MB" in answer.json()["error"]
    assert not any((home / "studio" / "uploads").iterdir())


def test_a_declared_length_over_the_limit_is_refused_before_reading(client):
    answer = client.post("/api/uploads", content=b"x" * 10,
                         headers={"content-length": str(50 * 1024 * 1024),
                                  "content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 413


def test_upload_ids_cannot_name_paths(client):
    for bad in ("../../catalog", "0" * 31 + "/", "ZZ" * 16):
        answer = client.post("/api/music/continue", json={"model": 1, "primer": bad})
        assert answer.status_code in (400, 404)
        assert answer.json()["error"]


def test_meta_json_is_the_record(client, home):
    meta = upload(client, "image", png_bytes()).json()
    stored = json.loads((home / "studio" / "uploads" / meta["id"] / "meta.json").read_text())
    assert stored == meta
    with Image.open(home / "studio" / "uploads" / meta["id"] / "file.png") as image:
        assert image.size == (24, 16)
