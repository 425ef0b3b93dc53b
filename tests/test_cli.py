"""The command line: every command documented with an example, bad input → one line and exit 2."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from artforge.cli import app


def all_commands(group: click.Group = app, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [p for p, _ in all_commands()], ids=" ".join)
def test_every_command_has_help(path):
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="artforge")
    assert result.exit_code == 0, result.output
    assert "Usage: artforge " + " ".join(path) in result.output


@pytest.mark.parametrize("path", [p for p, c in all_commands() if not isinstance(c, click.Group)],
                         ids=" ".join)
def test_every_command_help_has_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="artforge")
    assert "Example:" in result.output and f"artforge {' '.join(path)}" in result.output


def test_sub_apps_are_registered():
    assert {"text", "music", "image", "style", "studio", "catalog", "demo", "doctor"} <= set(
        app.commands)


def test_help_does_not_import_torch():
    code = ("import sys; from artforge.cli import app\n"
            "try: app(['--help'])\nexcept SystemExit: pass\n"
            "assert 'torch' not in sys.modules, 'torch imported by --help'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_doctor_reports_device_threads_and_torch():
    import torch

    result = CliRunner().invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "torch" in result.output and torch.__version__ in result.output
    assert "device (auto)" in result.output and "threads" in result.output
    assert "built-in paintings" in result.output
    assert "ok builtin:adain (an arbitrary-style decoder)" in result.output  # package data
    assert "ok builtin:starry-night (fast style: Van Gogh, The Starry Night)" in result.output
    assert "ok builtin:summertime (fast style: Cassatt, Summertime)" in result.output
    assert "ok builtin:abstract-gan (abstract compositions after Mondrian" in result.output
    assert "ok builtin:paintings-gan (painterly pictures" in result.output
    assert "ok builtin:sketch-painting (paintings from line art" in result.output


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "artforge", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("args, message", [
    (["demo", "--painting", "no-such"], "there is no built-in painting 'no-such'"),
    (["demo", "--painting", "/nowhere/picture.png"], "image /nowhere/picture.png does not exist"),
    (["demo", "--device", "warp-drive"], "unknown device 'warp-drive'"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    done = run_cli(*args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == f"error: {message}" or done.stderr.startswith(f"error: {message}")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_unreadable_image_is_a_user_error(tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_text("this is not a picture")
    done = run_cli("demo", "--painting", str(fake), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {fake} is not a readable image (UnidentifiedImageError)."


def test_option_out_of_range_exits_2(tmp_path):
    done = run_cli("demo", "--steps", "0", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
