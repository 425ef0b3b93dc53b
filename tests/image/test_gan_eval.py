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


def test_demo_grid_trains_then_continues_and_returns_captioned_works(tmp_path):
    first = demo.trained_grid(tmp_path, device="cpu", minutes=0.5 / 60)
    assert [w.kind for w in first] == ["image", "image"] and all(w.path.is_file() for w in first)
    assert first[0].provenance["pipeline"] == "gan.sample"
    steps = int(first[0].caption.split(" after ")[1].split()[0])
    again = demo.trained_grid(tmp_path, device="cpu", minutes=0.5 / 60)
    assert int(again[0].caption.split(" after ")[1].split()[0]) > steps


def test_the_demo_shows_the_shipped_gans_first_then_the_one_trained_here(tmp_path):
    from artforge.image.medium import MEDIUM

    [part] = [part for part in MEDIUM.demo if part.name == "gan"]
    works = (part.shipped(tmp_path, seed=2, device="cpu")
             + part.make(tmp_path, seed=2, device="cpu", minutes=0.1 / 60))
    assert [w.title for w in works] == [
        "New abstract compositions by builtin:abstract-gan",
        "New painterly pictures by builtin:paintings-gan",
        "Abstract compositions from a GAN trained here in a minute", "What it learned from"]
    for work, (name, _) in zip(works[:2], demo.SHIPPED_GRIDS, strict=True):
        assert "a GAN artforge ships (no training on this machine)" in work.caption
        assert work.provenance["params"]["builtin_model"] == name
        assert work.provenance["seed"] == 2
        assert Image.open(work.path).size == (4 * 128 + 3 * 2,) * 2  # 16 pictures at 128 px
    assert "builtin_model" not in works[2].provenance["params"]
    assert part.trains



def test_data_seed_scores_against_another_seed_of_a_builtin_set(tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    assert runner.invoke(app, train_args(run, "--steps", "1")).exit_code == 0
    scores = {}
    for name, extra in (("trained-on", []), ("held-out", ["--data-seed", "1"])):
        done = runner.invoke(app, ["image", "eval", "--model", str(run), "--data",
                                   "builtin:abstract", "--count", "6", "--n", "4", "--out",
                                   str(tmp_path / name), *extra])
        assert done.exit_code == 0, done.output
        scores[name] = json.loads((tmp_path / name / "metrics.json").read_text())
    trained_on, held_out = scores["trained-on"], scores["held-out"]
    assert (trained_on["seed"], trained_on["data_seed"]) == (0, 0)  # --seed, as before
    assert (held_out["seed"], held_out["data_seed"]) == (0, 1)
    # The same samples against other compositions.
    assert trained_on["median_nearest_distance_real"] != held_out["median_nearest_distance_real"]
