import json

import torch
from click.testing import CliRunner
from PIL import Image

from artforge.cli import app
from artforge.encoders.inception import WEIGHTS_FILE
from artforge.image.gan import demo
from artforge.image.gan.metrics import nearest_neighbours, nearest_sheet, self_nearest_distance
from tests.encoders.test_inception import published_keys, scaled_random_inception
from tests.image.test_gan_cli import train_args


def test_a_copied_picture_is_its_own_nearest_neighbour():
    real = torch.nn.functional.normalize(torch.randn(5, 16, generator=torch.Generator()
                                                     .manual_seed(0)), dim=1)
    index, gap = nearest_neighbours(real[[3, 1]] * 2.0, real)
    assert index.tolist() == [3, 1] and torch.allclose(gap, torch.zeros(2), atol=1e-6)
    assert self_nearest_distance(real) > 0.3
    sheet = nearest_sheet(torch.rand(2, 3, 8, 8), torch.rand(5, 3, 8, 8), index, pairs_per_row=2)
    assert sheet.size == (4 * 8 + 3 * 2, 8)


def test_image_eval_writes_scores_and_the_nearest_neighbour_sheet(tmp_path):
    weights = tmp_path / WEIGHTS_FILE
    torch.save(published_keys(scaled_random_inception().state_dict()), weights)
    runner = CliRunner()
    run = tmp_path / "run"
    assert runner.invoke(app, train_args(run, "--steps", "1")).exit_code == 0
    out = tmp_path / "eval"
    args = ["image", "eval", "--model", str(run), "--data", "builtin:abstract", "--count", "8",
            "--n", "6", "--out", str(out), "--inception"]
    result = runner.invoke(app, [*args, str(weights)])
    assert result.exit_code == 0, result.output
    assert "FID-VGG16" in result.output and "KID" in result.output
    scores = json.loads((out / "metrics.json").read_text())
    assert scores["n_generated"] == 6 and scores["n_real"] == 8 and scores["fid_vgg16"] > 0
    assert scores["fid_inception"] > 0
    assert f"FID (Inception) {scores['fid_inception']:.2f}" in result.output
    sheet = Image.open(out / "nearest-neighbours.png")
    assert sheet.size == (8 * 16 + 7 * 2, 2 * 16 + 2)  # 6 pairs, 4 pairs a row
    missing = runner.invoke(app, [*args, str(tmp_path / "nowhere.pth")])
    assert missing.exit_code == 2 and WEIGHTS_FILE in missing.output


def test_demo_grid_trains_then_continues_and_returns_captioned_works(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SECONDS", 0.5)
    first = demo.make_demo_grid(tmp_path, device="cpu")
    assert [w.kind for w in first] == ["image", "image"] and all(w.path.is_file() for w in first)
    assert first[0].provenance["pipeline"] == "gan.sample"
    steps = int(first[0].caption.split(" after ")[1].split()[0])
    again = demo.make_demo_grid(tmp_path, device="cpu")
    assert int(again[0].caption.split(" after ")[1].split()[0]) > steps

