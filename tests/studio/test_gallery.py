"""The gallery: works with provenance and remix settings, files served only from the artforge
home, deletion that keeps files the studio did not make."""

import os

from artforge.catalog import records
from artforge.catalog.db import connect
from artforge.catalog.reproduce import reproduce
from tests.studio.conftest import png_bytes


def add_work(home, path, medium="image", pipeline="gan.sample", params=None, seed=3):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(png_bytes())
    conn = connect(home / "catalog.db")
    try:
        return records.record_work(medium, pipeline, params or {"n": 16, "truncation": 0.7},
                                   seed, path, conn=conn)
    finally:
        conn.close()


def test_a_saved_text_is_a_work_with_its_history(client, home, models):
    steps = [{"settings": {"model": models["text"], "form": "jueju5"}, "seed": 4,
              "proposed": "疑是地上霜。"}]
    answer = client.post("/api/text/save", json={"text": "床前明月光，\r\n疑是地上霜。",
                                                 "title": "Night", "model": models["text"],
                                                 "steps": steps})
    assert answer.status_code == 201
    work = answer.json()
    assert (work["medium"], work["pipeline"], work["text"]) == (
        "text", "studio.cowrite", "床前明月光，\n疑是地上霜。\n")
    assert work["params"]["steps"] == steps and work["model_id"] == models["text"]
    settings = {"form": "jueju5", "prompt": "床前明月光，\r\n疑是地上霜。", "title": "Night"}
    assert work["remix"] == {"tab": "text", "model": models["text"], "settings": settings}
    assert client.get(work["file"]["url"]).text == work["text"]
    again = reproduce(work["id"], conn=connect(home / "catalog.db"))
    assert again["identical"]


def test_saving_empty_text_is_refused(client):
    answer = client.post("/api/text/save", json={"text": ""})
    assert answer.status_code == 422 and answer.json()["error"].startswith("text:")


def test_works_list_newest_first_with_provenance_and_files(client, home):
    grid = add_work(home, home / "studio" / "jobs" / "1" / "grid.png")
    piece = home / "studio" / "jobs" / "2" / "piece.mid"
    piece.parent.mkdir(parents=True)
    piece.write_bytes(b"MThd")
    params = {"bars": 4, "controls": {"key": "C major", "min_notes_per_bar": 0,
                                      "max_notes_per_bar": 4, "program": 40},
              "sampling": {"temperature": 0.8, "top_p": 0.9}}
    song = add_work(home, piece, "music", "music.generate", params, seed=9)
    for suffix, medium in ((".wav", "audio"), (".png", "image")):
        add_work(home, piece.with_suffix(suffix), medium, "music.generate",
                 {**params, "artifact": suffix}, seed=9)
    works = client.get("/api/works").json()
    assert [w["id"] for w in works] == [song, grid]
    music = works[0]
    assert [c["name"] for c in music["companions"]] == ["piece.wav", "piece.png"]
    assert music["remix"] == {"tab": "music", "model": None, "settings": {
        "bars": 4, "key": "C major", "density": "sparse", "instrument": 40,
        "temperature": 0.8, "top_p": 0.9, "seed": 9}}
    assert works[1]["file"] == {"work_id": grid, "name": "grid.png", "type": "image",
                                "served": True, "url": f"/api/works/{grid}/file"}
    assert [w["id"] for w in client.get("/api/works", params={"medium": "music"}).json()] == [
        song]
    assert client.get(f"/api/works/{grid}/file").content == png_bytes()
    download = client.get(f"/api/works/{grid}/file", params={"download": True})
    assert download.headers["content-disposition"].startswith("attachment")


def test_files_outside_the_home_are_not_served(client, home, tmp_path):
    outside = add_work(home, tmp_path / "elsewhere" / "mine.png")
    work = client.get(f"/api/works/{outside}").json()
    assert work["file"]["served"] is False and work["file"]["url"] is None
    answer = client.get(f"/api/works/{outside}/file")
    assert answer.status_code == 403 and "outside the artforge home" in answer.json()["error"]
    link = home / "studio" / "jobs" / "5" / "link.png"
    link.parent.mkdir(parents=True)
    os.symlink(tmp_path / "elsewhere" / "mine.png", link)
    linked = add_work(home, link)
    assert client.get(f"/api/works/{linked}/file").status_code == 403


def test_job_files_are_served_by_plain_name_from_the_job_folder(client, home, models):
    job = client.post("/api/image/grid", json={"model": models["gan"]}).json()
    folder = home / "studio" / "jobs" / str(job["id"])
    folder.mkdir(parents=True)
    (folder / "grid.png").write_bytes(png_bytes())
    assert client.get(f"/api/jobs/{job['id']}/files/grid.png").content == png_bytes()
    for bad in ("..%2F..%2Fcatalog.db", "%2e%2e", ".hidden.png", "a%00.png", "grid"):
        answer = client.get(f"/api/jobs/{job['id']}/files/{bad}")
        assert answer.status_code in (400, 404), bad
        assert answer.json()["error"]
    assert client.get(f"/api/jobs/{job['id']}/files/../../../catalog.db").status_code == 404
    assert client.get(f"/api/jobs/{job['id']}/files/missing.png").status_code == 404


def test_deleting_removes_the_studio_file_and_keeps_others(client, home, tmp_path):
    made = home / "studio" / "jobs" / "1" / "grid.png"
    mine = tmp_path / "mine.png"
    studio_work, user_work = add_work(home, made), add_work(home, mine)
    gone = client.delete(f"/api/works/{studio_work}").json()
    assert gone == {"deleted": [studio_work], "files_removed": ["grid.png"], "files_kept": []}
    assert not made.exists()
    kept = client.delete(f"/api/works/{user_work}").json()
    assert kept["files_kept"] == [str(mine)] and mine.exists()
    assert client.get("/api/works").json() == []
    assert client.delete(f"/api/works/{user_work}").status_code == 404
    assert client.get("/api/works/12345").status_code == 404
