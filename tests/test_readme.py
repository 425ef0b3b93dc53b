"""The README is tested: its commands exist, its shown output is what the tool prints."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from artforge.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["make demo", "make test"]


def command_paths() -> list[list[str]]:
    paths = []
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", README, re.S))
    for line in re.findall(r"^(?:\$ )?artforge ([a-z0-9| -]+)", code, re.M):
        words = [w for w in line.split() if not w.startswith("-") and w != "|"]
        if "|" in line.split("--")[0]:  # "artforge text | music | ..." names several groups
            paths += [[w] for w in words]
            continue
        path = []
        for word in words:  # command words are lower case; placeholders (ID, PATH) are not
            if not (word.isalnum() and word.islower()):
                break
            path.append(word)
        paths.append(path)
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_readme_command_exists(path):
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="artforge")
    assert result.exit_code == 0, (path, result.output)


def test_readme_error_example_is_what_the_cli_prints(tmp_path):
    shown = re.search(r"\$ artforge (.*)\n(error: .*)\n", README)
    done = subprocess.run([sys.executable, "-m", "artforge", *shown.group(1).split(),
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == shown.group(2)


def test_readme_python_example_runs(tmp_path, monkeypatch):
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    assert "steps=500" in code
    monkeypatch.chdir(tmp_path)
    exec(code.replace("steps=500", "steps=3"), {})
    from PIL import Image

    assert Image.open(tmp_path / "starry.png").size == (640, 512)
