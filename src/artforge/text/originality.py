"""How much of a generated text was copied from the training corpus.

The report gives the longest span (in characters) that the output shares with the corpus,
and the output's lines that appear verbatim as lines of the corpus.
"""

import dataclasses

MIN_LINE = 8
"""Shorter lines ("O me!", "Amen.") are not counted as copies."""


@dataclasses.dataclass
class Originality:
    longest_shared: int
    """Characters in the longest span of the output also found in the corpus."""
    shared_span: str
    copied_lines: list[str]
    """Output lines of at least MIN_LINE characters that are lines of the corpus."""

    def summary(self) -> str:
        copied = (f"{len(self.copied_lines)} line(s) copied verbatim" if self.copied_lines
                  else "no line copied verbatim")
        return (f"longest span shared with the training text: {self.longest_shared} "
                f"characters ({self.shared_span!r}); {copied}")


def longest_shared_span(text: str, corpus: str) -> str:
    """The longest substring of `text` that occurs in `corpus`.

    Slides a window over `text` that only ever grows: a window one longer than the best so far
    is tested at each start, so it takes O(len(text)) substring searches of the corpus.
    """
    best_start, best = 0, 0
    start = 0
    while start + best < len(text):
        if text[start:start + best + 1] in corpus:
            best_start, best = start, best + 1
        else:
            start += 1
    return text[best_start:best_start + best]


def originality(text: str, corpus: str, corpus_lines: set[str] | None = None) -> Originality:
    span = longest_shared_span(text, corpus)
    if corpus_lines is None:
        corpus_lines = {line.strip() for line in corpus.splitlines()}
    copied = [line.strip() for line in text.splitlines()
              if len(line.strip()) >= MIN_LINE and line.strip() in corpus_lines]
    return Originality(len(span), span, copied)
