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
    assert [w.kind for w in works] == ["text"]
    lines = works[0].body.split("\n")
    assert len(lines) == 5 and all(9 <= syllables(line) <= 11 for line in lines[:4])
    assert (tmp_path / "works" / "poem.txt").read_text().startswith(works[0].body)
    assert re.search(r"quatrain from a tiny GPT .* trained \d+ steps on builtin:shakespeare",
                     works[0].caption)
    assert records.list_works()[0]["pipeline"] == "text.generate"
