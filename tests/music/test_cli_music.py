"""From a folder of MIDI to a continuation as MIDI, WAV and PNG, through the command line."""

import wave

import pytest
import torch
from click.testing import CliRunner
from PIL import Image

from artforge.catalog import records
from artforge.catalog.provenance import read_midi_provenance, read_png_provenance
from artforge.catalog.reproduce import reproduce
from artforge.cli import app
from artforge.music.constraints import scale_pitch_classes
from artforge.music.ingest import read_score
from tests.music.fixtures import melody_score

TINY = ["--hidden", "24", "--layers", "1", "--context", "48", "--batch-size", "8",
        "--device", "cpu"]


def invoke(*args: str):
    return CliRunner().invoke(app, ["music", *args])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from tests.music.fixtures import write_song_folder

    root = tmp_path_factory.mktemp("music")
    songs = write_song_folder(root / "songs", 6)
    done = invoke("train", "--data", str(songs), "--out", str(root / "run"), "--steps", "40",
                  "--lr", "1e-2", *TINY)
    assert done.exit_code == 0, done.output
    melody_score([60, 62, 64, 65, 67, 65, 64, 62]).dump_midi(root / "primer.mid")
    return root, done.output


def test_train_reports_skipped_files_and_the_model(trained):
    root, output = trained
    assert "Trained to step 40 (steps)" in output
    assert "6 pieces used, 3 skipped" in output
    assert "skipped drums.mid: only drum tracks" in output
    assert "skipped empty.mid: zero-length file" in output
    assert "skipped corrupt.mid: not a readable MIDI file" in output


def test_generate_continues_a_primer_in_key_with_wav_and_png(trained, tmp_path):
    root, _ = trained
    out = tmp_path / "piece.mid"
    done = invoke("generate", "--model", str(root / "run"), "--primer", str(root / "primer.mid"),
                  "--bars", "4", "--key", "G major", "--program", "40", "--out", str(out),
                  "--wav", "--png", "--seed", "3")
    assert done.exit_code == 0, done.output
    score = read_score(out)
    notes = score.tracks[0].notes
    primer_notes = 8 + 2
    assert len(notes) > primer_notes
    new = sorted(notes, key=lambda n: n.time)[primer_notes:]
    assert {n.pitch % 12 for n in new} <= scale_pitch_classes("G major")
    provenance = read_midi_provenance(out)
    assert provenance["params"]["controls"]["key"] == "G major" and provenance["seed"] == 3
    with wave.open(str(tmp_path / "piece.wav")) as audio:
        assert audio.getnframes() > audio.getframerate()  # more than a second of sound
    assert Image.open(tmp_path / "piece.png").size == (1200, 420)
    assert read_png_provenance(tmp_path / "piece.png")["pipeline"] == "music.generate"
    media = sorted(w["medium"] for w in records.list_works())
    assert media == ["audio", "image", "music"]
    import symusic

    assert symusic.Score(out).tracks[0].program == 40


def test_a_catalogued_piece_is_reproduced_byte_for_byte(trained, tmp_path):
    root, _ = trained
    out = tmp_path / "piece.mid"
    done = invoke("generate", "--model", str(root / "run"), "--bars", "2", "--out", str(out),
                  "--seed", "7", "--top-k", "20")
    assert done.exit_code == 0, done.output
    work = next(w for w in records.list_works() if w["medium"] == "music")
    result = reproduce(work["id"])
    assert result["identical"] and not result["model_changed"]


def test_the_wav_and_png_of_a_piece_are_reproduced_too(trained, tmp_path):
    root, _ = trained
    done = invoke("generate", "--model", str(root / "run"), "--bars", "2", "--out",
                  str(tmp_path / "p.mid"), "--seed", "2", "--wav", "--png")
    assert done.exit_code == 0, done.output
    for work in records.list_works(medium="image") + records.list_works(medium="audio"):
        result = reproduce(work["id"])
        assert result["identical"], work["path"]
        assert result["path"].endswith((".reproduced.png", ".reproduced.wav"))


def test_render_with_fluidsynth_and_without(tmp_path, monkeypatch):
    from artforge.music import render

    melody_score([60, 64, 67, 72]).dump_midi(tmp_path / "a.mid")
    done = invoke("render", str(tmp_path / "a.mid"))
    assert done.exit_code == 0, done.output
    expected = "fluidsynth" if render.fluidsynth_path() else "pretty_midi"
    assert f"({expected})" in done.output
    with wave.open(str(tmp_path / "a.wav")) as audio:
        fluid_frames = audio.getnframes()
        assert fluid_frames >= 2 * audio.getframerate()  # four quarter notes at 120 bpm
    monkeypatch.setattr(render, "fluidsynth_path", lambda: None)
    done = invoke("render", str(tmp_path / "a.mid"))
    assert done.exit_code == 0 and "(pretty_midi)" in done.output
    with wave.open(str(tmp_path / "a.wav")) as audio:
        assert audio.getframerate() == 44100 and audio.getsampwidth() == 2
        assert 2.0 <= audio.getnframes() / 44100 <= 3.1  # pretty_midi adds a 1 s release


def one_line_error(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [f"error: {message}"]


def test_bad_primers_are_one_line_errors(trained, tmp_path):
    root, _ = trained
    fake = tmp_path / "fake.mid"
    fake.write_text("not midi")
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    melody_score(list(range(40, 80))).dump_midi(tmp_path / "long.mid")
    cases = [
        (fake, f"the primer {fake} cannot be used: not a readable MIDI file"),
        (empty, f"the primer {empty} cannot be used: zero-length file."),
        (tmp_path / "long.mid", "the primer has"),
    ]
    for primer, message in cases:
        out = tmp_path / "out.mid"
        done = invoke("generate", "--model", str(root / "run"), "--primer", str(primer),
                      "--out", str(out))
        assert done.exit_code == 2 and done.output.startswith(f"error: {message}"), done.output
        assert len(done.output.strip().splitlines()) == 1
        assert not out.exists()  # nothing half-written
    done = invoke("generate", "--model", str(root / "run"), "--primer", str(tmp_path / "long.mid"),
                  "--out", str(tmp_path / "o.mid"))
    assert "more than the model's context of 47; use a shorter primer." in done.output


def test_a_folder_without_usable_notes(tmp_path):
    from tests.music.fixtures import drum_score

    (tmp_path / "bad").mkdir()
    drum_score().dump_midi(tmp_path / "bad" / "drums.mid")
    (tmp_path / "bad" / "x.mid").write_bytes(b"")
    done = invoke("train", "--data", str(tmp_path / "bad"), "--out", str(tmp_path / "run"),
                  "--steps", "2", *TINY)
    one_line_error(done, f"{tmp_path / 'bad'} has no usable notes: every file was skipped "
                         "(e.g. x.mid: zero-length file).")
    assert not (tmp_path / "run").exists()
    (tmp_path / "nothing").mkdir()
    done = invoke("train", "--data", str(tmp_path / "nothing"), "--out", str(tmp_path / "run"))
    one_line_error(done, f"{tmp_path / 'nothing'} holds no .mid, .midi, MusicXML or ABC files.")


def test_a_model_of_another_medium_is_refused(tmp_path):
    from artforge.image.field.model import FieldConfig, FieldModel

    FieldModel.from_config(FieldConfig(hidden=4, layers=1, features=2)).save(tmp_path / "field")
    done = invoke("generate", "--model", str(tmp_path / "field"), "--out", str(tmp_path / "a.mid"))
    one_line_error(done, f"{tmp_path / 'field'} holds a 'field' model, not a music model.")


def test_bad_options_are_one_line_errors(trained, tmp_path):
    root, _ = trained
    done = invoke("generate", "--model", str(root / "run"), "--key", "H major", "--out",
                  str(tmp_path / "a.mid"))
    one_line_error(done, "--key 'H major' is not a key; write it like 'C major' or 'F# minor'.")
    done = invoke("generate", "--model", str(root / "run"), "--out", str(tmp_path / "a.wav"))
    one_line_error(done, "--out must name a .mid file, not a.wav.")
    done = invoke("train", "--data", "builtin:jazz", "--out", str(tmp_path / "r"))
    one_line_error(done, "there is no built-in music 'jazz'; choose builtin:bach, builtin:folk, "
                         "builtin:folk-band or builtin:oneill.")
    done = invoke("train", "--data", "builtin:oneill", "--out", str(tmp_path / "r"))
    one_line_error(done, "builtin:oneill is held out for evaluation (music eval); train on "
                         "builtin:folk or your own folder.")
    assert not (tmp_path / "r").exists()


def test_eval_prints_nll_and_statistics(trained, tmp_path):
    root, _ = trained
    invoke("generate", "--model", str(root / "run"), "--bars", "4", "--out",
           str(tmp_path / "gen" / "a.mid"))
    done = invoke("eval", "--model", str(root / "run"), "--data", str(root / "songs"),
                  "--generated", str(tmp_path / "gen"))
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith("lstm: NLL ") and "nats/token" in lines[0]
    assert float(lines[0].split()[2]) < 5.0  # well below uniform over 252 tokens (5.53)
    names = [line.split(":")[0] for line in lines[1:]]
    assert names == ["pieces", "empty_bar_rate", "pitch_classes_per_bar", "qualified_note_rate",
                     "polyphony", "in_key_rate", "longest_copied_run_notes"]


def test_bpe_training_and_free_generation(tmp_path):
    from tests.music.fixtures import write_song_folder

    songs = write_song_folder(tmp_path / "songs", 4)
    done = invoke("train", "--data", str(songs), "--bpe", "300", "--out", str(tmp_path / "run"),
                  "--steps", "3", *TINY)
    assert done.exit_code == 0, done.output
    from artforge.core import checkpoint

    model = checkpoint.load(tmp_path / "run")
    assert model.tokenizer.is_trained and model.config.vocab_size == 300
    out = tmp_path / "bpe.mid"
    done = invoke("generate", "--model", str(tmp_path / "run"), "--bars", "2", "--max-tokens",
                  "60", "--out", str(out))
    assert done.exit_code == 0, done.output
    notes = read_score(out).tracks[0].notes
    assert max(n.time for n in notes) < 2 * 4 * read_score(out).tpq
    done = invoke("generate", "--model", str(tmp_path / "run"), "--key", "C major", "--out",
                  str(tmp_path / "k.mid"))
    one_line_error(done, "key, pitch-range and density controls need a model trained without "
                         "--bpe.")


def test_init_from_fine_tunes_a_model_with_its_own_size_and_tokens(trained, tmp_path):
    from artforge.core import checkpoint

    root, _ = trained
    songs = root / "songs"
    tuned = tmp_path / "tuned"
    # --hidden 64 is ignored: a fine-tuned model keeps the size it was trained at.
    done = invoke("train", "--data", str(songs), "--out", str(tuned), "--steps", "1",
                  "--lr", "1e-9", "--init-from", str(root / "run"), "--hidden", "64",
                  "--device", "cpu")
    assert done.exit_code == 0, done.output
    source = checkpoint.load(checkpoint.resolve(root / "run"))
    model = checkpoint.load(checkpoint.resolve(tuned))
    assert model.config.to_dict() == source.config.to_dict()
    assert model.tokenizer.vocab == source.tokenizer.vocab
    for name, weight in source.state_dict().items():  # one step at a tiny rate: nearly equal
        assert torch.allclose(model.state_dict()[name], weight, atol=1e-6), name
    # The fine-tuning recipe fills what the command line left out (--lr was given).
    from artforge.core.train_config import FINE_TUNING

    recipe = checkpoint.read_training_state(checkpoint.resolve(tuned))["train_config"]
    assert recipe["lr"] == 1e-9 and recipe["schedule"] == FINE_TUNING["schedule"]
    assert (recipe["eval_every"], recipe["keep_best"]) == (FINE_TUNING["eval_every"], True)


def test_init_from_a_model_of_another_medium_is_one_sentence(trained, tmp_path):
    from artforge.core import checkpoint
    from artforge.text.model import GPTConfig, GPTModel
    from artforge.text.tokenizer import TextTokenizer

    root, _ = trained
    gpt = GPTModel(GPTConfig(vocab_size=300, block_size=8, n_layer=1, n_head=1, n_embd=8),
                   TextTokenizer.train(["abc"], "char"))
    folder = checkpoint.save(gpt, tmp_path / "gpt")
    done = invoke("train", "--data", str(root / "songs"), "--out", str(tmp_path / "tuned"),
                  "--steps", "1", "--init-from", str(folder), "--device", "cpu")
    assert done.exit_code == 2 and done.output.count("\n") == 1, done.output
    assert "'gpt' model, not a music model" in done.output
    assert not (tmp_path / "tuned").exists()
