"""Small text helpers shared by the parsers: line splitting and PDF-artefact cleaning."""

from __future__ import annotations

import functools
import re


def split_lines(text: str) -> list[str]:
    """Lines as stored (split on LF only, so line numbers match `wc -l` and editors, not `str.splitlines`)."""
    lines = text.split("\n")
    return [line.removesuffix("\r") for line in lines] if "\r" in text else lines


# Pure and called several times per value by the parsers: memoised (tens of thousands of distinct lines).
@functools.lru_cache(maxsize=1 << 16)
def clean_spaces(value: str | None) -> str | None:
    """Fold runs of whitespace (tabs, non-breaking and other Unicode spaces, and the zero-width space the PDF
    extraction leaves) into one space and trim; an empty result is None."""
    if value is None:
        return None
    return fold_spaces(value) or None


def fold_spaces(value: str) -> str:
    """`clean_spaces` without the memo, and "" for an empty result: for text cleaned once and kept (each line
    of a table), where the cache would only cost hashing and storing every line."""
    if value.isprintable() and "  " not in value:
        # The common case, several times faster: every whitespace character but the space (and the zero-width
        # space) is unprintable, so the only whitespace is single spaces and just the ends need trimming.
        return value.strip(" ")
    if "\u200b" in value:  # not whitespace to Python, but a word break in these extractions
        value = value.replace("\u200b", " ")
    # str.split() is about three times faster than a regex substitution
    return " ".join(value.split())


# A hyphen at a line end joins a word split by the PDF's line break ("kehittä-" + "mistyön") when the next
# line goes on in lower case; it is kept when the next part is a compound's second half written with its own
# hyphen ("työ- ja"), or when a space stands before it ("Isoveli -" + "aikuiskaveritoiminta").
_BREAK_HYPHEN = re.compile(r"(?<=[a-zåäö])-$")


def join_wrapped(lines: list[str]) -> str | None:
    """Join the physical lines of one logical value, undoing line-break hyphenation."""
    out = ""
    for raw in lines:
        line = clean_spaces(raw)
        if not line:
            continue
        if not out:
            out = line
        elif _BREAK_HYPHEN.search(out) and line[:1].islower() and not line.startswith(("ja ", "tai ", "sekä ")):
            out = out[:-1] + line
        else:
            out = f"{out} {line}"
    return out or None


def ends_soft(raw: str) -> bool:
    """True when a PDF line ends with whitespace: the text extraction's mark of a wrap between two words.

    In the flattened report tables a line that ends without a space was cut inside a word ("Luonnonvarakes" +
    "kus") or right after a hyphen ("Pohjantähti-" + "opiston", "ESR 2014-" + "2020/ELY").
    """
    return raw[-1:].isspace() if raw else True


def join_pdf_lines(raw_lines: list[str]) -> str | None:
    """Join the physical lines of one table cell using the extraction's own wrap marks (see `ends_soft`).

    A line ending in a space is a soft wrap (joined with one space); any other line was cut inside a word or
    after a hyphen and is glued to the next one as is, so real compound hyphens stay ("Meri-Lapissa",
    "Isoveli -aikuiskaveritoiminta") and words split without a hyphen are mended ("KEHITYSVAMM" + "AISTEN").
    """
    out = ""
    for i, raw in enumerate(raw_lines):
        piece = clean_spaces(raw)
        if not piece:
            continue
        if out and i > 0 and not ends_soft(raw_lines[i - 1]) and raw_lines[i - 1].strip():
            out += piece if not raw[:1].isspace() else " " + piece
        else:
            out = f"{out} {piece}" if out else piece
    return clean_spaces(out)


# A hyphen the PDF text left before a space inside a word ("sote- palveluiden", "30- vuotiaiden"): after a letter,
# digit or dot, before a word in lower case. A compound's first half written before a conjunction stays ("sosiaali-
# ja terveys", "mielenterveys- tai", "ja/tai"), and so does one of a list ("liikunta- nuoriso- ja": the next word
# ends with its own hyphen; "tieto-, neuvonta- ja": a comma follows the hyphen, which this never matches).
_SPACED_HYPHEN = re.compile(r"(?<=[\w.])- (?=([a-zåäö]+)(-?))")
_WORD = re.compile(r"\S+")
_CONJUNCTIONS = frozenset({"ja", "tai", "sekä", "eli", "tahi", "and", "or"})
# The word "hanke" (project) in any case: "Polku- hankkeen" is the "-hanke" suffix, written "Polku -hankkeen"
# (the name before it may be several words: "Meri-Lapissa -hankkeen").
_HANKE = re.compile(r"hanke\w*|hankkee\w*|hankkei\w*")


def mend_spaced_hyphens(text: str, dashed: tuple[str, ...] = ()) -> str:
    """Close up a hyphen the PDF text left before a space inside a word ("sote- palveluiden" → "sote-palveluiden").

    A "-hanke" word takes the hyphen ("Polku -hankkeen"). Where a text in `dashed` (the project's names) writes the
    same two words with a spaced dash ("DUUNI – Vanhemmuuden taidot"), it was that dash, and is written so."""
    if "- " not in text:
        return text
    out: list[str] = []
    last = 0
    for m in _SPACED_HYPHEN.finditer(text):
        word, own_hyphen = m.group(1), m.group(2)
        if word in _CONJUNCTIONS or own_hyphen:
            continue
        # The words either side, found without slicing the text (linear however many hyphens it has).
        before = text[text.rfind(" ", 0, m.start()) + 1 : m.start()]
        after = _WORD.match(text, m.end())
        dash = _dash_between(before, after.group(0) if after else word, dashed) if dashed else None
        out.append(text[last : m.start()])
        if dash:
            out.append(f" {dash} ")
        elif _HANKE.fullmatch(word):
            out.append(" -")
        else:
            out.append("-")
        last = m.end()
    return "".join(out) + text[last:] if out else text


def _dash_between(before: str, after: str, dashed: tuple[str, ...]) -> str | None:
    """The dash a name writes between the two words (spaced), if any."""
    if not before:
        return None
    pattern = re.compile(rf"(?<!\w){re.escape(before)}\s+([-–—])\s+{re.escape(after.rstrip('.,;:'))}", re.IGNORECASE)
    for name in dashed:
        if m := pattern.search(name):
            return m.group(1)
    return None
