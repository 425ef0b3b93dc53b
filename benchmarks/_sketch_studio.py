"""sketch_painting.py's studio section: how soon a stroke drawn on the canvas of a fresh studio
becomes a painting, with the studio's warm-up on and off (sketch_painting.py's docstring tells
the set-up)."""

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from artforge.image.pix2pix.demo import canvas_sketch

STUDIO_SERVER = """import sys
import uvicorn
from artforge.studio.app import create_app
from artforge.studio.settings import StudioSettings
home, port, warm_up = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "on"
uvicorn.run(create_app(StudioSettings(home=home, port=port, warm_up=warm_up)),
            host="127.0.0.1", port=port, log_level="warning")
"""
"""The studio as `artforge studio` serves it, with the warm-up on or off."""
TARGET_S = 3.0


@contextlib.contextmanager
def studio_server(home: Path, warm_up: bool) -> Iterator[tuple[httpx.Client, float]]:
    """A studio server process on `home`; yields a client once it answers, and the seconds
    from its launch to then. Stopped as Ctrl-C stops it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-c", STUDIO_SERVER, str(home), str(port),
                               "on" if warm_up else "off"],
                              env={**os.environ, "ARTFORGE_HOME": str(home)})
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-Artforge": "1"},
                          timeout=300)
    try:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if client.get("/").status_code == 200:
                    break
            if server.poll() is not None:
                raise RuntimeError(f"the studio server exited with {server.returncode}")
            time.sleep(0.02)
        yield client, time.perf_counter() - start
    finally:
        client.close()
        server.send_signal(signal.SIGINT)
        server.wait(120)


def paint_stroke(client: httpx.Client, model: int, sketch: bytes) -> float:
    """Seconds from a canvas sketch's upload to its painting fetched, as the page does it."""
    start = time.perf_counter()
    upload = client.post("/api/uploads", data={"kind": "image"},
                         files={"file": ("sketch.png", sketch)}).json()["id"]
    job = client.post("/api/sketch/paint", json={"model": model, "sketch": upload}).json()
    with client.stream("GET", f"/api/jobs/{job['id']}/events") as events:
        for line in events.iter_lines():
            if line == "event: end":
                break
    done = client.get(f"/api/jobs/{job['id']}").json()
    if done["status"] != "done":
        raise RuntimeError(f"the painting failed: {done}")
    client.get(f"/api/jobs/{job['id']}/files/{done['result']['image']}").raise_for_status()
    return time.perf_counter() - start


def studio_run(home: Path, warm_up: bool, draw: float, sketch: bytes) -> dict[str, float]:
    """One fresh studio: seconds to answer, to the page's first requests answered, the first
    and second paintings, and the worker's warm-up as its log gives it (nan: none)."""
    with studio_server(home, warm_up) as (client, up):
        launched = time.perf_counter() - up
        client.get("/api/status").raise_for_status()
        model = client.get("/api/models", params={"medium": "sketch"}).json()[0]
        page = time.perf_counter() - launched
        time.sleep(draw)
        first, second = (paint_stroke(client, model["id"], sketch) for _ in range(2))
    log = (home / "studio" / "logs" / "worker-create.log").read_text()
    warmed = [float(line.split()[-2]) for line in log.splitlines()
              if line.startswith("warm-up ") and " done in " in line]
    return {"up": up, "page": page, "first": first, "second": second,
            "warm_up": warmed[0] if warmed else float("nan")}


def studio_section(work: Path, rounds: int, draws: list[float]) -> None:
    sketch = canvas_sketch(work / "studio-canvas.png", seed=1).read_bytes()
    print(f"studio: a fresh studio server and home per run, the shipped model paints a "
          f"256 px canvas sketch; seconds ({rounds} rounds, warm-up off and on alternating; "
          "up, page: from the launch to the server answering, to the page's first requests "
          "answered; first, second: from the upload to the painting fetched)")
    header = ("warm-up", "draw", "up", "page", "first", "second", "worker warm-up")
    print("  " + "".join(f"{title:>15s}" for title in header))
    results: dict[tuple[bool, float], list[dict[str, float]]] = {}
    for index in range(rounds):
        for draw in draws:
            for warm_up in (False, True):
                home = work / f"studio-{index}-{draw:g}-{'on' if warm_up else 'off'}"
                run = studio_run(home, warm_up, draw, sketch)
                results.setdefault((warm_up, draw), []).append(run)
                print("  " + f"{'on' if warm_up else 'off':>15s}{draw:15g}" + "".join(
                    f"{run[key]:15.2f}" for key in ("up", "page", "first", "second",
                                                    "warm_up")))
    print("  medians:")
    for (warm_up, draw), runs in results.items():
        first = statistics.median(r["first"] for r in runs)
        print(f"  warm-up {'on ' if warm_up else 'off'}, {draw:g} s drawing: first "
              f"{first:.2f} s, second {statistics.median(r['second'] for r in runs):.2f} s "
              f"(target: first under {TARGET_S:g} s, {'met' if first < TARGET_S else 'not met'})")
