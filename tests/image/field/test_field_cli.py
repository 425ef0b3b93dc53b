from click.testing import CliRunner
from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_png_provenance
from artforge.cli import app


def test_train_then_render_at_any_size(tmp_path):
    runner = CliRunner()
    trained = runner.invoke(app, ["image", "field", "train", "--image",
                                  "builtin:paintings/durer-lion", "--size", "16", "--steps", "5",
                                  "--out", str(tmp_path / "run"), "--device", "cpu"])
    assert trained.exit_code == 0, trained.output
    assert "Trained to step 5 (steps)" in trained.output
    out = tmp_path / "lion.png"
    rendered = runner.invoke(app, ["image", "field", "render", "--model", str(tmp_path / "run"),
                                   "--out", str(out), "--width", "40", "--height", "30"])
    assert rendered.exit_code == 0, rendered.output
    assert Image.open(out).size == (40, 30)
    assert read_png_provenance(out)["params"] == {"height": 30, "width": 40}
    assert [w["pipeline"] for w in records.list_works()] == ["field.render"]


def test_render_of_a_missing_model_is_one_line(tmp_path):
    result = CliRunner().invoke(app, ["image", "field", "render", "--model",
                                      str(tmp_path / "none"), "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: model folder {tmp_path / 'none'} does not exist."
