from artforge.text.originality import longest_shared_span, originality

CORPUS = "the quick brown fox\njumps over the lazy dog\n"


def test_longest_shared_span_is_exact():
    assert longest_shared_span("a brown fox ran", CORPUS) == " brown fox"
    assert longest_shared_span("XYZ", CORPUS) == ""
    assert longest_shared_span(CORPUS, CORPUS) == CORPUS


def test_copied_lines_are_reported_and_short_lines_ignored():
    report = originality("jumps over the lazy dog\nthe dog\nsomething new here", CORPUS)
    assert report.copied_lines == ["jumps over the lazy dog"]
    assert report.longest_shared == len("jumps over the lazy dog\n")
    assert "1 line(s) copied" in report.summary()
