"""The one exception type that carries a user-facing message and where the problem is."""

from __future__ import annotations

import os
import re


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


#: Environment variables whose values are secrets: never shown in a message or a log.
SECRET_ENV = ("LABEL_STUDIO_API_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")

_URL_PASSWORD = re.compile(r"(//[^/@\s:]*):[^/@\s]*@")
_AUTH_VALUE = re.compile(r"\b(Token|Bearer)\s+[A-Za-z0-9._~+/=-]{16,}")


def redact(text: str, secrets=()) -> str:
    """``text`` with every secret, every ``Token …``/``Bearer …`` value and every URL password
    replaced by ``***`` (for every message that may echo what a server or a caller sent)."""
    text = str(text)
    for secret in (*secrets, *(os.environ.get(v, "").strip() for v in SECRET_ENV)):
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} ***", text)
    return _URL_PASSWORD.sub(r"\1:***@", text)


