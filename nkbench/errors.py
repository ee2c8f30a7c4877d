"""The one exception type that carries a user-facing message and where the problem is."""

from __future__ import annotations


class NkbenchError(Exception):
    """Bad input or a failed check. The CLI prints ``str(err)`` and exits non-zero.

    ``where`` names the file, line, document, span or field; ``hint`` says what to do next.
    """

    def __init__(self, reason: str, where: str = "", hint: str = "") -> None:
        self.reason = reason
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.reason}" if self.where else self.reason
        return f"{text}; {self.hint}" if self.hint else text


class NkbenchErrors(NkbenchError):
    """Several problems found in one pass (all reported, not just the first)."""

    def __init__(self, problems: list[NkbenchError], what: str = "input") -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in {what}:\n{shown}{more}")


def did_you_mean(word: str, choices) -> str:
    """A 'did you mean' hint for an unknown label, or '' when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not close:
        upper = [c for c in choices if c.upper() == str(word).upper()]
        close = upper[:1]
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(choices))}"
