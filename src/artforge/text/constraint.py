"""Constrained decoding: a constraint says which tokens may come next, so a form holds in every
output by construction (no retries).

`Template` is the Chinese regular-verse constraint: a pattern such as "HHHHH，HHHHH。\\n..."
where H is any Han character, with optional rhyme slots. A token may come next only if its
text fits the pattern there *and* the rest of the pattern can still be completed with the
tokenizer's vocabulary (checked once, backwards, when the template is built). A template
may stop before the pattern's end (`end`: a poem written a couplet at a time), the whole
pattern still deciding which rhyme classes can be chosen. With `no_repeats` it writes no
character twice (`repeats`) wherever the vocabulary leaves a choice, but as reduplication of
one of `doubles` (any character when None).
"""

import torch

from artforge.errors import UserError
from artforge.text.rhyme import rhyme_class
from artforge.text.tokenizer import TextTokenizer

SLOT = "H"


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def repeats(text: str, ch: str, doubles: frozenset[str] | None = None) -> bool:
    """Whether character `ch`, written after `text`, repeats one of its characters as regular
    verse avoids (忌重字): `ch` is in `text` and is not the reduplication (叠字) of the
    character just before it, one that `text` has only once and that is one of `doubles`, the
    characters that may be reduplicated (any when None): 悠悠 is reduplication; 悠悠悠 and
    悠然悠 repeat, and so does 雨雨 where 雨 is not one of `doubles`."""
    return ch in text and not (text.endswith(ch) and text.count(ch) == 1
                               and (doubles is None or ch in doubles))


class Constraint:
    per_token = False
    """Whether `fits` tests a token on its own cheaply: the sampler then tests only the
    likeliest tokens, those its top-k filter could keep, instead of building `allowed()`."""
    unrhymed = 0
    """Lines that had to end without their rhyme (none, where a rhyme is by construction)."""

    def allowed(self) -> torch.Tensor:
        """Bool mask (vocab,) of the tokens that may come next."""
        raise NotImplementedError

    def fits(self, token: int) -> bool:
        """Where `per_token`: whether `token` may come next; and whenever any token fits,
        `allowed()` is exactly the tokens that fit (it falls back on others only when none
        does)."""
        raise NotImplementedError

    def plausible(self) -> torch.Tensor:
        """Where `per_token`: a bool mask (vocab,) with every token that fits, and as few
        others as a glance allows."""
        raise NotImplementedError

    def advance(self, token: int) -> None:
        raise NotImplementedError

    def finished(self) -> bool:
        raise NotImplementedError

    def max_tokens(self) -> int:
        """An upper bound on the tokens still to generate."""
        raise NotImplementedError


class Template(Constraint):
    def __init__(self, tokenizer: TextTokenizer, pattern: str, rhyme_slots: list[int],
                 start: str = "", end: int | None = None, no_repeats: bool = False,
                 doubles: frozenset[str] | None = None) -> None:
        self.pattern, self.rhyme_slots = pattern, sorted(rhyme_slots)
        self.no_repeats, self.doubles = no_repeats, doubles
        self.end = len(pattern) if end is None else end
        strings = tokenizer.token_strings()
        self.vocab = len(strings)
        self.han_len = torch.tensor([len(s) if s and all(map(is_han, s)) else 0 for s in strings])
        self.literals: dict[str, list[int]] = {}
        for i, s in enumerate(strings):
            if s and not any(map(is_han, s)) and "\ufffd" not in s:
                self.literals.setdefault(s, []).append(i)
        self.strings = strings
        self.containing = self._tokens_by_character() if no_repeats else {}
        self.rhyme_groups = self._rhyme_groups()
        self._check_feasible()
        self.text = ""
        self.rhyme: str | None = None
        self._consume_prompt(start)

    # Set-up ------------------------------------------------------------------------------------
    def _rhyme_groups(self) -> dict[str, set[int]]:
        """Single-character tokens by rhyme class; only classes with enough distinct
        characters for every rhyme slot can be chosen."""
        groups: dict[str, set[int]] = {}
        if not self.rhyme_slots:
            return groups
        for i, s in enumerate(self.strings):
            if len(s) == 1 and is_han(s):
                cls = rhyme_class(s)
                if cls:
                    groups.setdefault(cls, set()).add(i)
        need = len(self.rhyme_slots)
        return {cls: ids for cls, ids in groups.items() if len(ids) >= need}

    def _tokens_by_character(self) -> dict[str, list[int]]:
        """The Han tokens that contain each character."""
        having: dict[str, list[int]] = {}
        for i, s in enumerate(self.strings):
            if self.han_len[i]:
                for ch in set(s):
                    having.setdefault(ch, []).append(i)
        return having

    def _check_feasible(self) -> None:
        n = len(self.pattern)
        lengths = sorted({int(v) for v in self.han_len.tolist() if v})
        can = [False] * (n + 1)
        can[n] = True
        for p in range(n - 1, -1, -1):
            if self.pattern[p] == SLOT:
                run = self._run(p)
                can[p] = any(can[p + k] for k in lengths if k <= run)
            else:
                can[p] = any(can[p + len(s)] for s in self.literals
                             if self.pattern.startswith(s, p))
        self.can_finish = can
        if not can[0] or (self.rhyme_slots and not self.rhyme_groups):
            raise UserError("this model's vocabulary cannot write this form (it needs whole Han "
                            "characters and the form's punctuation as tokens); train a model "
                            "with --tokenizer char on Chinese verse.")

    def _run(self, p: int) -> int:
        """How many Han slots follow from position p (up to the next punctuation)."""
        end = p
        while end < len(self.pattern) and self.pattern[end] == SLOT:
            end += 1
        return end - p

    def _consume_prompt(self, start: str) -> None:
        for ch in start:
            p = len(self.text)
            fits = p < len(self.pattern) and (
                ch == self.pattern[p] or (self.pattern[p] == SLOT and is_han(ch)))
            if not fits:
                raise UserError(f"the prompt {start!r} does not fit the form: character "
                                f"{p + 1} should be {self._describe(p)}.")
            self._place(ch)

    def _describe(self, p: int) -> str:
        if p >= len(self.pattern):
            return "past the end of the poem"
        return "a Han character" if self.pattern[p] == SLOT else repr(self.pattern[p])

    # Decoding ----------------------------------------------------------------------------------
    def allowed(self) -> torch.Tensor:
        p = len(self.text)
        mask = torch.zeros(self.vocab, dtype=torch.bool)
        if p >= len(self.pattern):
            return mask
        if self.pattern[p] == SLOT:
            run = self._run(p)
            for k in range(1, run + 1):
                if self.can_finish[p + k]:
                    mask |= self.han_len == k
            slot = next((r for r in self.rhyme_slots if p <= r < p + run), None)
            if slot is not None:
                self._restrict_rhyme(mask, p, slot)
            if self.no_repeats:
                self._avoid_repeats(mask)
        else:
            for s, ids in self.literals.items():
                if self.pattern.startswith(s, p) and self.can_finish[p + len(s)]:
                    mask[ids] = True
        return mask

    def _restrict_rhyme(self, mask: torch.Tensor, p: int, slot: int) -> None:
        """Tokens that would put a character in rhyme slot `slot` must rhyme there."""
        good = (self.rhyme_groups.get(self.rhyme, set()) if self.rhyme
                else set().union(*self.rhyme_groups.values()))
        used = {self.text[r] for r in self.rhyme_slots if r < len(self.text)}
        for i in mask.nonzero().flatten().tolist():
            s = self.strings[i]
            if p + len(s) > slot:
                ch = s[slot - p]
                if len(s) > 1 or i not in good or ch in used:
                    mask[i] = False

    def _avoid_repeats(self, mask: torch.Tensor) -> None:
        """Leaves out of `mask` the tokens that would repeat a character of the poem (a
        reduplication of one not in `doubles` among them), unless that leaves none: every
        token of `mask` can complete the form, so the form always holds, and repeats come back
        only where nothing else fits: a vocabulary too small for the form, or a rhyme class
        whose unused characters ran out (builtin:tang's smallest has 18 characters; no poem of
        56 uses them up)."""
        fresh = mask.clone()
        fresh[[i for ch in set(self.text) for i in self.containing.get(ch, ())]] = False
        # Those that may be reduplication, or hold a repeat within themselves, one by one.
        doubtful = mask & (self.han_len > 1)
        last = self.text[-1:]
        if last in self.containing and (self.doubles is None or last in self.doubles):
            doubtful[self.containing[last]] = True
        for i in (doubtful & mask).nonzero().flatten().tolist():
            s = self.strings[i]
            fresh[i] = not any(repeats(self.text + s[:k], ch, self.doubles)
                               for k, ch in enumerate(s))
        if fresh.any():
            mask.copy_(fresh)

    def advance(self, token: int) -> None:
        for ch in self.strings[token]:
            self._place(ch)

    def _place(self, ch: str) -> None:
        if len(self.text) in self.rhyme_slots and self.rhyme is None:
            self.rhyme = rhyme_class(ch)
        self.text += ch

    def finished(self) -> bool:
        return len(self.text) >= self.end

    def max_tokens(self) -> int:
        return 0 if self.finished() else self.end - len(self.text) + 1
