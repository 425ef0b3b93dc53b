"""`artforge image pix2pix train | translate` and `artforge image eval` end to end."""

import json

from click.testing import CliRunner
from PIL import Image

from artforge.catalog import records
from artforge.cli import app

TINY = ["--size", "32", "--ngf", "4", "--batch-size", "2", "--device", "cpu",
        "--holdout", "0.25"]


def test_train_translate_and_evaluate(paired_folder, tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    trained = runner.invoke(app, ["image", "pix2pix", "train", "--data", str(paired_folder),
                                  "--out", str(run), "--steps", "2", "--save-every", "2", *TINY])
    assert trained.exit_code == 0, trained.output
    assert "4 pairs from" in trained.output and "(line art given)" in trained.output
    assert "Trained to step 2 (steps)" in trained.output
    assert Image.open(run / "samples" / "step-00000002.png").size == (3 * 32 + 4, 6 * 32 + 10)
    out = tmp_path / "painting.png"
    painted = runner.invoke(app, ["image", "pix2pix", "translate", "--model", str(run),
                                  "--in", str(paired_folder / "A" / "x1.jpg"), "--out", str(out),
                                  "--engine", "torch"])
    assert painted.exit_code == 0, painted.output
    assert Image.open(out).size == (72, 64)
    scored = runner.invoke(app, ["image", "eval", "--model", str(run), "--data",
                                 str(paired_folder), "--n", "4", "--out", str(tmp_path / "eval")])
    assert scored.exit_code == 0, scored.output
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["n"] == 4 and metrics["held_out_pictures"] == ["B/x2.png"]
    assert {"l1", "perceptual", "fid_vgg16", "kid"} <= set(metrics)
    assert 0 < metrics["l1"] < 1 and metrics["perceptual"] > 0
    assert Image.open(tmp_path / "eval" / "translations.png").size == (3 * 32 + 4, 4 * 32 + 6)
    assert [r["status"] for r in records.list_runs()] == ["steps"]


def test_bad_input_exits_2_without_writing(paired_folder, tmp_path):
    runner = CliRunner()
    (paired_folder / "A" / "x0.jpg").unlink()
    result = runner.invoke(app, ["image", "pix2pix", "train", "--data", str(paired_folder),
                                 "--out", str(tmp_path / "run"), "--steps", "1", *TINY])
    assert result.exit_code == 2 and "only one of them, e.g. x0" in result.output
    assert not (tmp_path / "run").exists()
    result = runner.invoke(app, ["image", "pix2pix", "translate", "--model", str(tmp_path),
                                 "--in", str(paired_folder / "B" / "x1.png"),
                                 "--out", str(tmp_path / "p.png")])
    assert result.exit_code == 2 and "is not a model folder" in result.output
    assert not (tmp_path / "p.png").exists()
    result = runner.invoke(app, ["image", "pix2pix", "translate", "--model", str(tmp_path),
                                 "--in", str(paired_folder / "B" / "x1.png"),
                                 "--out", str(tmp_path / "p.png"), "--side", "5"])
    assert result.exit_code == 2
    assert "--side must be 0 (the sketch's own size) or at least 16 pixels" in result.output
    assert not (tmp_path / "p.png").exists()


def test_the_commands_offer_the_librarys_choices():
    from artforge.cli import pix2pix, sketch
    from artforge.image.pix2pix.architectures import KINDS
    from artforge.image.pix2pix.engine import ENGINES
    from artforge.image.pix2pix.networks import NORMS
    from artforge.image.sketch.methods import METHODS

    assert (pix2pix.KINDS, pix2pix.ENGINES, pix2pix.NORMS) == (KINDS, ENGINES, NORMS)
    assert sketch.METHODS == METHODS


def test_a_model_trained_with_hints_paints_with_dabs_of_a_pictures_colours(paired_folder,
                                                                          tmp_path):
    runner = CliRunner()
    run = tmp_path / "run"
    trained = runner.invoke(app, ["image", "pix2pix", "train", "--data", str(paired_folder),
                                  "--out", str(run), "--steps", "1", "--hints", *TINY])
    assert trained.exit_code == 0, trained.output
    sketch, out = paired_folder / "A" / "x1.jpg", tmp_path / "painting.png"
    base = ["image", "pix2pix", "translate", "--model", str(run), "--in", str(sketch)]
    painted = runner.invoke(app, [*base, "--out", str(out), "--hints-from",
                                  str(paired_folder / "B" / "x1.png"), "--dabs", "12"])
    assert painted.exit_code == 0, painted.output
    work = records.list_works()[0]
    assert (work["params"]["dabs"], work["params"]["hint_seed"]) == (12, 0)
    both = runner.invoke(app, [*base, "--out", str(tmp_path / "x.png"), "--hints",
                               str(out), "--hints-from", "builtin:chelsea"])
    assert both.exit_code == 2 and "--hints or --hints-from, not both" in both.output
    assert not (tmp_path / "x.png").exists()
    scored = runner.invoke(app, ["image", "eval", "--model", str(run), "--data",
                                 str(paired_folder), "--n", "4", "--out", str(tmp_path / "eval")])
    assert scored.exit_code == 0, scored.output
    metrics = json.loads((tmp_path / "eval" / "metrics.json").read_text())
    assert metrics["dabs"] == 8 and 0 < metrics["l1_hinted"] < 1
    assert f"With 8 dabs of the real colours per crop as hints: L1 {metrics['l1_hinted']:.4f}" \
        in scored.output
    assert metrics["l1_hinted"] != metrics["l1"] and metrics["perceptual_hinted"] > 0
