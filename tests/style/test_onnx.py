"""ONNX export of both networks, checked against PyTorch; the torch-free runner."""


import numpy as np
import onnx
import pytest
import torch
from PIL import Image

from artforge.data.pictures import open_picture, to_array
from artforge.errors import UserError
from artforge.style import onnx_run
from artforge.style.onnx_export import export_onnx
from artforge.style.stylize import load_style_model
from artforge.style.works import to_numpy, to_tensor
from tests.style.conftest import run_without_torch


def test_johnson_export_matches_pytorch_at_any_size(johnson_folder, tmp_path):
    result = export_onnx(johnson_folder, tmp_path / "j.onnx")
    assert result.kind == "johnson" and result.max_difference < 1e-4
    meta = {p.key: p.value for p in onnx.load(str(result.path)).metadata_props}
    assert meta["artforge_kind"] == "johnson" and meta["divisor"] == "4"
    session, meta = onnx_run.load_session(result.path)
    model, _ = load_style_model(johnson_folder, "cpu")
    photo = np.random.default_rng(0).uniform(0, 1, (29, 50, 3)).astype(np.float32)
    ours = onnx_run.stylize_array(session, meta, photo)
    expected = to_numpy(model.stylize(to_tensor(photo)))
    assert ours.shape == (29, 50, 3)
    np.testing.assert_allclose(ours, expected, atol=1e-4)


def test_adain_export_blends_styles_like_pytorch(adain_folder, pictures, tmp_path):
    result = export_onnx(adain_folder, tmp_path / "a.onnx")
    assert result.kind == "adain" and result.max_difference < 1e-4
    session, meta = onnx_run.load_session(result.path)
    model, _ = load_style_model(adain_folder, "cpu")
    photo = to_array(open_picture(pictures["content"]))
    specs = [str(pictures["style"]), "builtin:durer-lion"]
    squares = onnx_run._square_styles(specs, int(meta["style_size"]))
    ours = onnx_run.stylize_array(session, meta, photo, squares, [0.3, 0.7], alpha=0.6)
    expected = model.stylize(to_tensor(photo), list(torch.from_numpy(squares).split(1)),
                             [0.3, 0.7], alpha=0.6)
    np.testing.assert_allclose(ours, to_numpy(expected), atol=1e-4)


def test_an_adain_model_at_relu3_1_exports_too(tmp_path):
    from artforge.style.adain_model import AdaINConfig, AdaINModel

    torch.manual_seed(0)
    folder = AdaINModel.from_config(AdaINConfig(width=0.05, style_size=32, layer="relu3_1")
                                    ).save(tmp_path / "adain3")
    result = export_onnx(folder, tmp_path / "a3.onnx")
    assert result.max_difference < 1e-4
    assert onnx_run.load_session(result.path)[1]["divisor"] == "4"


def test_the_runner_writes_pngs_without_importing_torch(johnson_folder, pictures, tmp_path):
    model = export_onnx(johnson_folder, tmp_path / "j.onnx").path
    out = tmp_path / "out.png"
    done = run_without_torch(
        "from artforge.style import onnx_run\n"
        f"code = onnx_run.main([{str(model)!r}, {str(pictures['content'])!r}, {str(out)!r}])")
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (40, 32)
    assert Image.open(out).text["artforge"].startswith('{"model"')


def test_the_runner_refuses_bad_models_and_options(johnson_folder, pictures, tmp_path, capsys):
    fake = tmp_path / "fake.onnx"
    fake.write_bytes(b"not a graph")
    assert onnx_run.main([str(fake), str(pictures["content"]), str(tmp_path / "o.png")]) == 2
    assert "cannot be loaded as an ONNX model" in capsys.readouterr().err
    model = export_onnx(johnson_folder, tmp_path / "j.onnx").path
    with pytest.raises(UserError, match="--style is for adain and instant models"):
        onnx_run.stylize_files(model, pictures["content"], tmp_path / "o.png",
                               styles=[str(pictures["style"])])
    with pytest.raises(UserError, match="--out must end in .png"):
        onnx_run.stylize_files(model, pictures["content"], tmp_path / "o.jpg")
    with pytest.raises(UserError, match="--out must end in .onnx"):
        export_onnx(johnson_folder, tmp_path / "model.pt")
    assert not (tmp_path / "o.png").exists() and not (tmp_path / "model.pt").exists()
