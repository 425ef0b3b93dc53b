import pytest

from artforge.music import ingest
from artforge.music.ingest import SkipFile, encode_score, read_score, tokenise
from artforge.music.tokens import TOKENIZERS, make_tokenizer
from tests.music.fixtures import C_MAJOR, drum_score, melody_score, write_song_folder


def test_bad_files_are_skipped_with_a_reason(tmp_path):
    folder = write_song_folder(tmp_path / "songs", 2)
    corpus = tokenise(ingest.music_files(folder), make_tokenizer())
    assert sorted(p.path.name for p in corpus.pieces) == ["song0.mid", "song1.mid"]
    reasons = {path.name: reason for path, reason in corpus.skipped}
    assert reasons["empty.mid"] == "zero-length file"
    assert reasons["drums.mid"] == "only drum tracks"
    assert reasons["corrupt.mid"].startswith("not a readable MIDI file")
    assert "3 skipped" in corpus.report() and "empty.mid: zero-length file" in corpus.report()


def test_tracks_are_merged_into_one_and_drums_dropped(tmp_path):
    score = melody_score(C_MAJOR)
    score.tracks.append(drum_score().tracks[0])
    score.dump_midi(tmp_path / "mixed.mid")
    merged = read_score(tmp_path / "mixed.mid")
    assert len(merged.tracks) == 1
    assert sorted(n.pitch for n in merged.tracks[0].notes) == sorted(C_MAJOR + [48, 43])


def test_note_less_file_is_skipped(tmp_path):
    melody_score([]).dump_midi(tmp_path / "silent.mid")
    with pytest.raises(SkipFile, match="no notes"):
        read_score(tmp_path / "silent.mid")


@pytest.mark.parametrize("name", TOKENIZERS)
def test_encode_decode_encode_round_trip(name, tmp_path):
    tokenizer = make_tokenizer(name)
    melody_score((C_MAJOR + C_MAJOR[::-1]) * 2).dump_midi(tmp_path / "song.mid")
    ids = encode_score(tokenizer, read_score(tmp_path / "song.mid"))
    decoded = tokenizer.decode([ids])
    again = tokenizer.decode([encode_score(tokenizer, decoded)])

    def notes(score):
        return sorted((n.time, n.pitch, n.duration) for n in score.tracks[0].notes)

    assert notes(again) == notes(decoded)
    assert len(notes(decoded)) == 32 + 8
    assert sorted({pitch for _, pitch, _ in notes(decoded)}) == [43, 48, *C_MAJOR]


def test_tokens_are_cached_by_content(tmp_path, monkeypatch):
    folder = write_song_folder(tmp_path / "songs", 2)
    files = ingest.music_files(folder)
    first = tokenise(files, make_tokenizer(), tmp_path / "cache")

    def must_not_parse(path):
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(ingest, "read_score", must_not_parse)
    again = tokenise(files, make_tokenizer(), tmp_path / "cache")
    assert [p.ids for p in again.pieces] == [p.ids for p in first.pieces]
    assert again.skipped == first.skipped


def test_musicxml_is_read_through_music21(tmp_path):
    import music21

    stream = music21.stream.Stream([music21.note.Note(p, quarterLength=1) for p in C_MAJOR])
    stream.write("musicxml", fp=tmp_path / "scale.musicxml")
    pitches = [n.pitch for n in read_score(tmp_path / "scale.musicxml").tracks[0].notes]
    assert pitches == C_MAJOR
