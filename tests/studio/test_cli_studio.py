"""`artforge studio` serves the page and the API until Ctrl-C, and says where."""

import os
import signal
import subprocess
import sys

import httpx
import pytest

GIVE_UP_S = 120


@pytest.fixture
def started(home):
    process = subprocess.Popen(
        [sys.executable, "-m", "artforge", "studio", "--port", "0", "--token", "open-sesame"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "ARTFORGE_HOME": str(home)})
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_the_studio_command_serves_until_ctrl_c(started, home):
    first = started.stdout.readline().strip()
    assert first.startswith("artforge studio at http://127.0.0.1:"), first
    assert first.endswith("/?token=open-sesame")
    base = first.removeprefix("artforge studio at ").split("/?")[0]
    with httpx.Client(base_url=base, timeout=GIVE_UP_S) as client:
        assert client.get("/api/status").status_code == 401
        status = client.get("/api/status", headers={"Authorization": "Bearer open-sesame"})
        assert status.status_code == 200 and status.json()["home"] == str(home.resolve())
    started.send_signal(signal.SIGINT)
    assert started.wait(GIVE_UP_S) == 0
    assert "Traceback" not in started.stderr.read()


def test_a_busy_port_is_one_clear_error(home):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "artforge", "studio", "--port", str(port)],
                              capture_output=True, text=True, timeout=GIVE_UP_S,
                              env={**os.environ, "ARTFORGE_HOME": str(home)})
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}")


def test_a_second_studio_on_the_same_home_is_one_line_before_it_binds(home):
    import fcntl

    lock = home / "studio" / "studio.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+") as held:  # what a running studio holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = subprocess.run([sys.executable, "-m", "artforge", "studio", "--port", "0"],
                              capture_output=True, text=True, timeout=GIVE_UP_S,
                              env={**os.environ, "ARTFORGE_HOME": str(home)})
    assert done.returncode == 2 and done.stdout == ""  # it never printed an address
    assert done.stderr == (f"error: another studio is using {home}; stop it first, or give "
                           "this one another ARTFORGE_HOME.\n")
