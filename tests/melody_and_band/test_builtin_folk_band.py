"""builtin:folk-band, the band artforge ships: from the command line it plays bass, piano and
drums under a tune it never saw (O'Neill's), keeping the melody as it is, and the work
reproduces by name."""

import symusic
from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.music.band.demo import held_out_tune


def test_it_accompanies_a_held_out_tune_and_reproduces(tmp_path):
    melody, name = held_out_tune(0, tmp_path / "tune.mid")
    assert "The Enchanted Valley" in name
    out = tmp_path / "band.mid"
    done = CliRunner().invoke(app, ["music", "band", "accompany", "--model",
                                    "builtin:folk-band", str(melody), "--out", str(out),
                                    "--seed", "3"])
    assert done.exit_code == 0, done.output
    score = symusic.Score(out)
    assert [t.name.lower() for t in score.tracks] == ["melody", "bass", "piano", "drums"]
    given = [(n.time, n.pitch) for n in symusic.Score(melody).tracks[0].notes]
    kept = [(n.time, n.pitch) for n in score.tracks[0].notes]
    assert [p for _, p in kept] == [p for _, p in given]
    assert all(len(t.notes) > 8 for t in score.tracks[1:])
    assert score.tracks[3].is_drum
    work = records.list_works(medium="music")[0]
    assert work["params"]["builtin_model"] == "builtin:folk-band"
    again = CliRunner().invoke(app, ["catalog", "reproduce", str(work["id"])])
    assert again.exit_code == 0 and "identical" in again.output, again.output
