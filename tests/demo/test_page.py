from artforge.demo.page import Work, loss_curve_svg, write_page


def test_page_shows_each_kind_of_work_with_its_provenance(tmp_path):
    (tmp_path / "works").mkdir()
    works = [
        Work("A picture", "image", tmp_path / "works/a.png", caption="pic"),
        Work("A tune", "audio", tmp_path / "works/b.wav", provenance={"seed": 7}),
        Work("A poem", "text", body="床前明月光\n<疑是地上霜>"),
        Work("Loss", "plot", body=loss_curve_svg([{"step": 1, "loss": 1.0},
                                                   {"step": 2, "loss": 0.1}])),
    ]
    html = write_page(tmp_path / "index.html", "t", "intro", works).read_text()
    assert '<img src="works/a.png" alt="A picture">' in html
    assert '<audio controls src="works/b.wav"></audio>' in html
    assert "床前明月光\n&lt;疑是地上霜&gt;" in html  # text is escaped, line breaks kept
    assert "<polyline" in html and "loss (log scale): 1 → 0.1" in html
    assert "&quot;seed&quot;: 7" in html


def test_loss_curve_needs_two_points():
    assert "not enough steps" in loss_curve_svg([{"step": 1, "loss": 0.5}])
