import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from artforge.catalog.records import get_work
from artforge.cli import app


def run(*args: str):
    return CliRunner().invoke(app, ["catalog", *args])


def test_list_shows_aligned_columns_newest_first(db, make_work):
    old = make_work("a.png", medium="image")
    new = make_work("poem.txt", medium="text")
    result = run("list")
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header.split() == ["id", "created", "medium", "pipeline", "path"]
    assert [line.split()[0] for line in lines] == [str(new), str(old)]
    assert lines[1].split()[2:] == ["image", "test.catalog.bytes", get_work(old)["path"]]
    starts = {line.index("test.catalog.bytes") for line in lines}
    assert starts == {header.index("pipeline")}


def test_list_filters_by_medium_and_limits(db, make_work):
    make_work("a.png", medium="image")
    newest = make_work("b.png", medium="image")
    make_work("poem.txt", medium="text")
    lines = run("list", "--medium", "image", "--limit", "1").output.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [str(newest)]


def test_list_of_an_empty_catalog_says_so(db):
    result = run("list")
    assert result.exit_code == 0 and "No works in the catalog yet" in result.output


def test_show_prints_every_field_as_json(db, make_work):
    work_id = make_work(params={"text": "雪"})
    result = run("show", str(work_id))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == get_work(work_id)
    assert "雪" in result.output


def test_reproduce_prints_the_path_and_identity(tmp_path: Path, db, make_work):
    work_id = make_work()
    out = tmp_path / "again.txt"
    result = run("reproduce", str(work_id), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Reproduced work {work_id} as {out}",
        "byte-identical: yes",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "99"), "error: there is no work with id 99 in the catalog."),
        (("show", "abc"), "error: work ID must be a whole number, not 'abc'."),
        (("reproduce", "0"), "error: work ID must be 1 or more, not 0."),
        (("list", "--limit", "0"), "error: --limit must be at least 1, not 0."),
    ],
)
def test_bad_input_is_one_line_and_exit_2(db, args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [message]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [(), ("list",), ("show",), ("reproduce",)])
def test_every_command_has_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(r"\n\s+Example:\n\s+artforge catalog \S", result.output)
