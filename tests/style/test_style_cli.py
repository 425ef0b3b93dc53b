"""`artforge style ...`: each command end to end on tiny inputs, bad input as one line and
exit code 2, adjustments as warnings, a torchvision VGG through --vgg."""

import pytest
from click.testing import CliRunner
from PIL import Image

from artforge.cli import app

ADAIN_ONLY = "--identity-weight, --layer and --width are for --method adain."
TINY = ["--size", "40", "--iterations", "2", "--optimizer", "adam", "--device", "cpu"]


def run(*args: str):
    return CliRunner().invoke(app, ["style", *args], catch_exceptions=False)


def test_transfer_export_and_stylize_from_the_command_line(pictures, johnson_folder, tmp_path):
    done = run("transfer", "--content", str(pictures["content"]), "--style",
               str(pictures["style"]), "--style", "builtin:durer-lion", "--style-weights",
               "0.8,0.2", "--out", str(tmp_path / "t.png"), "--save-every", "1", *TINY)
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in tmp_path.glob("t*.png")) == ["t-0001.png", "t-0002.png",
                                                              "t.png"]
    done = run("export-onnx", "--model", str(johnson_folder), "--out", str(tmp_path / "j.onnx"))
    assert done.exit_code == 0 and "largest difference from PyTorch" in done.output
    for model in (str(johnson_folder), str(tmp_path / "j.onnx")):
        done = run("stylize", "--model", model, "--in", str(pictures["content"]), "--out",
                   str(tmp_path / "s.png"))
        assert done.exit_code == 0, done.output
        assert Image.open(tmp_path / "s.png").size == (40, 32)


@pytest.mark.parametrize("args, message", [
    (["transfer", "--content", "{notes}", "--style", "{style}", "--out", "{out}"],
     "notes.txt is not a readable image (UnidentifiedImageError)."),
    (["transfer", "--content", "{content}", "--style", "builtin:nope", "--out", "{out}"],
     "there is no built-in picture 'builtin:nope'"),
    (["transfer", "--content", "{content}", "--out", "{out}"],
     "give at least one style picture (--style)."),
    (["transfer", "--content", "{content}", "--style", "{style}", "--out", "{out}",
      "--preserve-colour", "luminance", "--iterations", "0,0"],
     "--iterations takes 1 to 6 counts"),
    (["transfer", "--content", "{content}", "--style", "{style}", "--out", "{out}",
      "--preset", "slow"], "there is no --preset 'slow'; choose one of full, quick."),
    (["stylize", "--model", "{tmp}", "--in", "{content}", "--out", "{out}"],
     "is not a model folder"),
    (["stylize", "--model", "builtin:adain", "--in", "{content}", "--style", "{style}",
      "--mask", "{notes}", "--out", "{out}"], "notes.txt is not a readable image"),
    (["video", "--in", "{notes}", "--style", "{style}", "--out", "{tmp}/v.mp4"],
     "notes.txt cannot be read as a video"),
    (["train", "--style", "{notes}", "--out", "{tmp}/run", "--steps", "1"],
     "notes.txt is not a readable image"),
    (["train", "--style", "{style}", "--out", "{tmp}/run", "--steps", "1",
      "--identity-weight", "5"], ADAIN_ONLY),
    (["train", "--style", "{style}", "--out", "{tmp}/run", "--steps", "1",
      "--layer", "relu3_1"], ADAIN_ONLY),
])
def test_bad_input_is_one_line_and_exit_2(args, message, pictures, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a picture")
    values = {"notes": notes, "style": pictures["style"], "content": pictures["content"],
              "out": tmp_path / "out.png", "tmp": tmp_path}
    done = run(*[a.format(**values) for a in args], "--device", "cpu")
    assert done.exit_code == 2, done.output
    assert done.output.startswith("error: ") and message in done.output
    assert len(done.output.strip().splitlines()) == 1
    assert not (tmp_path / "out.png").exists() and not (tmp_path / "v.mp4").exists()


def test_the_preset_reaches_the_library_and_iterations_only_when_given(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("artforge.style.pipeline.transfer_image",
                        lambda *args, **kwargs: calls.append(kwargs) or tmp_path / "p.png")
    common = ["transfer", "--content", "c.png", "--style", "s.png", "--out", "p.png"]
    assert run(*common, "--preset", "quick").exit_code == 0
    assert run(*common).exit_code == 0
    assert run(*common, "--iterations", "5,2").exit_code == 0
    assert [(c["preset"], c.get("iterations")) for c in calls] == [
        ("quick", None), (None, None), (None, (5, 2))]


def test_a_mask_of_another_shape_is_stretched_with_a_warning(pictures, tmp_path):
    mask = tmp_path / "mask.png"
    Image.new("L", (10, 30), 255).save(mask)
    done = run("transfer", "--content", str(pictures["content"]), "--style",
               str(pictures["style"]), "--mask", str(mask), "--out", str(tmp_path / "m.png"),
               *TINY)
    assert done.exit_code == 0
    assert "warning: the mask" in done.output and "stretched to fit" in done.output
