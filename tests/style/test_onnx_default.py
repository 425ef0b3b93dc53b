"""`artforge style stylize` on a model folder runs onnxruntime by default: the same pictures as
PyTorch, no torch once the folder's export is cached, one export per model, the same catalog
row and provenance as the PyTorch engine."""

from pathlib import Path

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from artforge.cli import app
from artforge.data.pictures import open_picture, to_array
from tests.style.conftest import run_without_torch


def run(*args: str):
    return CliRunner().invoke(app, ["style", "stylize", *args], catch_exceptions=False)


def cached_exports(home) -> list:
    return sorted((home / "cache" / "onnx").glob("style-*.onnx"))


@pytest.fixture
def instant_folder(tmp_path):
    from artforge.core.seeding import seeded
    from artforge.style.instant_model import InstantConfig, InstantModel

    with seeded(0):
        return InstantModel(InstantConfig(width=4, style_size=32)).eval().save(tmp_path / "inst")


@pytest.mark.parametrize("kind", ["johnson", "adain", "instant"])
def test_both_engines_paint_the_same_floats(kind, request, pictures):
    from artforge.style.stylize import load_engine

    folder = request.getfixturevalue(f"{kind}_folder")
    styles = [] if kind == "johnson" else [str(pictures["style"]), "builtin:durer-lion"]
    options = (folder, "cpu", styles, [0.3, 0.7] if styles else None, 0.6 if styles else 1.0)
    photo = to_array(open_picture(pictures["content"]))
    onnx, pytorch = load_engine("onnx", *options), load_engine("torch", *options)
    assert onnx.kind == pytorch.kind == kind and onnx.folder == pytorch.folder == folder
    np.testing.assert_allclose(onnx.paint(photo), pytorch.paint(photo), atol=1e-3)


def test_the_default_engine_writes_what_the_torch_engine_writes(adain_folder, pictures,
                                                                 tmp_path):
    mask = tmp_path / "mask.png"
    Image.fromarray(np.tile(np.array([0, 255], np.uint8).repeat(10), (16, 1))).save(mask)
    common = ["--model", str(adain_folder), "--in", str(pictures["content"]), "--style",
              str(pictures["style"]), "--style", "builtin:durer-lion", "--style-weights",
              "0.3,0.7", "--alpha", "0.6", "--preserve-colour", "luminance", "--mask", str(mask)]
    for engine, name in ((["--engine", "torch"], "torch.png"), ([], "default.png")):
        done = run(*common, *engine, "--out", str(tmp_path / name))
        assert done.exit_code == 0, done.output
    ours, theirs = (np.asarray(Image.open(tmp_path / n), dtype=int)
                    for n in ("default.png", "torch.png"))
    assert ours.shape == (32, 40, 3)
    assert np.abs(ours - theirs).max() <= 1  # one level where 1e-3 crosses a rounding edge
    assert (ours == theirs).mean() > 0.99
    assert (ours[:, :10] == np.asarray(Image.open(pictures["content"]))[:, :10]).all()


def test_a_cached_folder_stylises_without_importing_torch(adain_folder, pictures, tmp_path):
    args = ["style", "stylize", "--model", str(adain_folder), "--in", str(pictures["content"]),
            "--style", str(pictures["style"]), "--out", str(tmp_path / "cold.png")]
    assert run(*args[2:-2], "--out", str(tmp_path / "warm.png")).exit_code == 0  # exports
    done = run_without_torch("from artforge.cli import app\ncode = 0\n"
                             f"try:\n    app({args!r}, prog_name='artforge')\n"
                             "except SystemExit as done:\n    code = done.code")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Wrote {tmp_path / 'cold.png'}\n"
    assert (Image.open(tmp_path / "cold.png").tobytes()
            == Image.open(tmp_path / "warm.png").tobytes())


def test_one_export_per_model_and_a_changed_model_gets_its_own(adain_folder, pictures,
                                                               artforge_home, tmp_path):
    from artforge.style.adain_model import AdaINConfig, AdaINModel

    args = ["--model", str(adain_folder), "--in", str(pictures["content"]), "--style",
            str(pictures["style"]), "--out", str(tmp_path / "out.png")]
    assert run(*args).exit_code == 0
    [export] = cached_exports(artforge_home)
    made = export.stat().st_mtime_ns
    assert run(*args).exit_code == 0
    assert cached_exports(artforge_home) == [export] and export.stat().st_mtime_ns == made
    torch.manual_seed(1)
    AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32)).save(adain_folder)
    assert run(*args).exit_code == 0
    assert len(cached_exports(artforge_home)) == 2 and export.stat().st_mtime_ns == made


def test_the_catalog_row_and_provenance_are_the_torch_engines_and_reproduce(
        adain_folder, pictures, tmp_path, monkeypatch):
    from artforge.catalog.provenance import read_png_provenance
    from artforge.catalog.records import list_works
    from artforge.catalog.reproduce import reproduce
    from artforge.core.checkpoint_layout import folder_hash
    from artforge.data import shipped_models

    # builtin:adain stands for the tiny folder, so that the row names the shipped model.
    monkeypatch.setattr(shipped_models, "shipped_folder", lambda model: adain_folder)
    out = tmp_path / "work.png"
    done = run("--model", "builtin:adain", "--in", str(pictures["content"]), "--style",
               str(pictures["style"]), "--alpha", "0.7", "--out", str(out))
    assert done.exit_code == 0, done.output
    [work] = list_works(medium="style")
    assert work["pipeline"] == "style.stylize" and work["model_hash"] == folder_hash(adain_folder)
    assert work["params"]["builtin_model"] == "builtin:adain"
    assert work["params"]["engine"] == "onnx" and work["params"]["alpha"] == 0.7
    provenance = read_png_provenance(out)
    assert provenance["pipeline"] == "style.stylize" and provenance["params"] == work["params"]
    assert provenance["model_hash"] == work["model_hash"]
    again = reproduce(work["id"], tmp_path / "again.png")
    assert again["identical"] and not again["model_changed"]
    done = run("--model", "builtin:adain", "--in", str(pictures["content"]), "--style",
               str(pictures["style"]), "--engine", "torch", "--out", str(tmp_path / "t.png"))
    by_torch = list_works(medium="style")[0]
    assert done.exit_code == 0 and "engine" not in by_torch["params"]  # as before ONNX
    assert reproduce(by_torch["id"], tmp_path / "t-again.png")["identical"]


def test_auto_leaves_big_adain_pictures_to_pytorchs_tiles(adain_folder, pictures, tmp_path,
                                                          monkeypatch):
    from artforge.catalog.records import list_works
    from artforge.style import adain_model, stylize

    assert stylize.ONE_PIECE_PIXELS == adain_model.TILE ** 2
    monkeypatch.setattr(stylize, "ONE_PIECE_PIXELS", 600)  # 40x32 is big now, 20x16 is not
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.open(pictures["content"]).save(folder / "big.png")
    Image.open(pictures["content"]).resize((20, 16)).save(folder / "small.png")
    for engine in ("auto", "onnx"):
        stylize.stylize_images(adain_folder, folder, tmp_path / engine, engine=engine,
                               styles=[str(pictures["style"])])
    engines = {Path(w["path"]).relative_to(tmp_path).as_posix(): w["params"].get("engine")
               for w in list_works(medium="style")}
    assert engines == {"auto/big.png": None, "auto/small.png": "onnx",  # None: PyTorch
                       "onnx/big.png": "onnx", "onnx/small.png": "onnx"}


def test_the_onnx_engine_on_a_gpu_is_one_sentence_and_exit_2(adain_folder, pictures,
                                                            artforge_home, tmp_path):
    done = run("--model", str(adain_folder), "--in", str(pictures["content"]), "--style",
               str(pictures["style"]), "--out", str(tmp_path / "x.png"), "--engine", "onnx",
               "--device", "cuda")
    assert done.exit_code == 2
    assert done.output == ("error: --engine onnx runs on the CPU, not --device cuda; use "
                           "--device cpu or --engine torch.\n")
    assert not (tmp_path / "x.png").exists() and not cached_exports(artforge_home)
