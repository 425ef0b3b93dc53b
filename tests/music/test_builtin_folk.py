"""builtin:folk, the folk-tune model artforge ships: it continues the opening of a tune of
O'Neill's collection (held out: never trained on) at once, in key, from the command line; its
works reproduce by name; it knows those tunes far better than a fresh model of its size."""

from click.testing import CliRunner

from artforge.catalog import records
from artforge.cli import app
from artforge.music.constraints import scale_pitch_classes
from artforge.music.datasets import music_splits
from artforge.music.ingest import read_score
from artforge.music.pipeline import load_music_model


def run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="artforge")


def test_it_continues_a_held_out_tune_in_key_and_it_reproduces(tmp_path):
    tune = sorted(music_splits("builtin:oneill").test)[0]  # "The Enchanted Valley", G minor
    primer = tmp_path / "primer.mid"
    score = read_score(tune)
    score.clip(0, 2 * 4 * score.tpq, clip_end=True).dump_midi(primer)
    out = tmp_path / "tune.mid"
    result = run("music", "generate", "--model", "builtin:folk", "--primer", str(primer),
                 "--bars", "2", "--key", "G minor", "--out", str(out), "--seed", "1")
    assert result.exit_code == 0, result.output
    notes = sorted(read_score(out).tracks[0].notes, key=lambda n: n.time)
    primer_notes = len(read_score(primer).tracks[0].notes)
    assert len(notes) > primer_notes + 4
    assert {n.pitch % 12 for n in notes[primer_notes:]} <= scale_pitch_classes("G minor")
    work = records.list_works()[0]
    assert work["params"]["builtin_model"] == "builtin:folk"
    again = run("catalog", "reproduce", str(work["id"]))
    assert again.exit_code == 0 and "identical" in again.output, again.output


def test_it_scores_held_out_tunes_far_better_than_a_fresh_model_of_its_size(tmp_path):
    from artforge.core import checkpoint
    from artforge.music.evaluation import token_nll

    shipped = load_music_model("builtin:folk")
    assert shipped.kind == "lstm" and not shipped.tokenizer.is_trained  # controls work
    fresh = type(shipped).from_config(shipped.config)
    fresh.tokenizer = shipped.tokenizer
    tunes = sorted(music_splits("builtin:oneill").test)[:6]
    trained, _ = token_nll(shipped, tunes)
    untrained, _ = token_nll(checkpoint.load(checkpoint.save(fresh, tmp_path / "fresh")), tunes)
    assert trained < 1.0 < 4.0 < untrained
