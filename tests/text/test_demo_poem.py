import re

from artforge.catalog import records
from artforge.errors import UserError
from artforge.text.demo import make_demo_poem
from artforge.text.meter import syllables


def test_without_npm_the_demo_writes_a_sonnet_quatrain(tmp_path, monkeypatch):
    def no_npm(variant):
        raise UserError("builtin:tang needs npm")

    monkeypatch.setattr("artforge.data.tang.tang_poems", no_npm)
    works = make_demo_poem(tmp_path, seed=0, device="cpu", minutes=0.01)
    # The shipped models' poems come first (no corpus needed), then the trained one.
    assert [w.title for w in works] == ["A poem by builtin:tang", "A poem by builtin:tang",
                                        "A poem by builtin:english-verse",
                                        "A poem from a minute of training"]
    jueju, lushi, english, trained = works
    assert re.fullmatch(r"春.{4}，.{5}。\n.{5}，.{5}。", jueju.body)
    assert re.fullmatch(r"月.{6}，.{7}。(\n.{7}，.{7}。){3}", lushi.body)
    assert "builtin:tang, a model artforge ships (no training on this machine)" in jueju.caption
    verses = english.body.strip().split("\n")
    assert len(verses) == 4 and verses[0].startswith("The")
    assert all(9 <= syllables(line) <= 11 for line in verses)
    assert english.caption.startswith("A quatrain by builtin:english-verse")
    lines = trained.body.split("\n")
    assert len(lines) == 5 and all(9 <= syllables(line) <= 11 for line in lines[:4])
    assert (tmp_path / "works" / "poem.txt").read_text().startswith(trained.body)
    assert re.search(r"quatrain from a tiny GPT .* trained \d+ steps on builtin:shakespeare",
                     trained.caption)
    assert [w["pipeline"] for w in records.list_works()] == ["text.generate"] * 4
