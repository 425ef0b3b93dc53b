import io
import json
import tarfile

import pytest

from artforge.data.cache import cache_dir
from artforge.data.tang import TARBALL, tang_poems
from artforge.data.text import load_corpus
from artforge.errors import UserError

POEMS = [
    {"author": "李白", "title": "靜夜思", "paragraphs": ["床前明月光，疑是地上霜。",
                                                "舉頭望明月，低頭思故鄉。"]},
    {"author": "王之渙", "title": "登鸛雀樓", "paragraphs": ["白日依山盡，黃河入海流。",
                                                  "欲窮千里目，更上一層樓。"]},
    {"author": "杜甫", "title": "絕句", "paragraphs": ["兩個黃鸝鳴翠柳，一行白鷺上青天。"]},
    {"author": "無名", "title": "雜", "paragraphs": ["長短不齊的句子。"]},
]


@pytest.fixture
def tang_tarball():
    """A chinese-poetry tarball of the real layout, put where `npm pack` would have left it."""
    data = json.dumps(POEMS, ensure_ascii=False).encode()
    with tarfile.open(cache_dir() / TARBALL, "w:gz") as archive:
        info = tarfile.TarInfo("package/dist/quantangshi/poet.tang.0.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))


def test_tang_poems_and_their_regular_verse_parts(tang_tarball):
    assert tang_poems() == ["床前明月光，疑是地上霜。\n舉頭望明月，低頭思故鄉。",
                            "白日依山盡，黃河入海流。\n欲窮千里目，更上一層樓。",
                            "兩個黃鸝鳴翠柳，一行白鷺上青天。", "長短不齊的句子。"]
    assert len(tang_poems("wuyan")) == 2 and tang_poems("qiyan") == [POEMS[2]["paragraphs"][0]]
    assert (cache_dir() / "tang-poems.json").is_file()  # parsed once, then read from the cache
    corpus = load_corpus("builtin:tang/wuyan", simplified=True)
    assert corpus.train[0].text.startswith("床前明月光") and "举头" in corpus.train[0].text


def test_unknown_tang_part_is_a_user_error(tang_tarball):
    with pytest.raises(UserError, match="no part 'songci'"):
        tang_poems("songci")


def test_english_poetry_has_one_control_code_per_poet():
    corpus = load_corpus("builtin:english-poetry")
    assert {"shakespeare", "milton", "whitman", "yeats"} <= set(corpus.controls())
    assert "test" not in corpus.controls()


def test_shakespeare_split_is_fixed():
    corpus = load_corpus("builtin:shakespeare")
    assert (len(corpus.train), len(corpus.validation)) == (139, 15)
    assert corpus.validation[0].text.startswith("For shame! deny that thou bear")  # sonnet 10


def test_a_small_corpus_keeps_the_tail_of_each_document_for_validation(tmp_path):
    (tmp_path / "a.txt").write_text("".join(f"line {i}\n" for i in range(40)))
    corpus = load_corpus(str(tmp_path / "a.txt"))
    assert corpus.validation[0].text.startswith("line 36")
    assert corpus.train[0].text + corpus.validation[0].text == (tmp_path / "a.txt").read_text()
