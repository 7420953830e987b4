"""Where a funding text starts in running text: the funder registry's names in a funding context.

A funding cell, or a funding clause, opens at a funder: every name, abbreviation and alias of the funder registry
(`data/reference/funders.csv`, through `parsers.vocabulary`), and any ministry. Some funders also implement
projects (an ELY centre, a regional council, a Leader group, an agency): their names open a funding text only in
a funding context (`funding_context`), never in a list of implementers ("ProAgria Lappi ry, Lapin liitto").
Parsers use this to find where the funding starts; which funders a text names is `normalize.funders`' job.
"""

from __future__ import annotations

import re

from parsers import vocabulary

# An agency's abbreviation ("STEA", "THL") names a funder wherever it stands; its full name may be an implementer.
_ABBREVIATING_TYPES = frozenset({"state_agency", "other"})


# Matched on the joined text of a row or paragraph, so words a PDF split across lines ("Ympäristömini" +
# "steriö") are whole again. A spelling matches as written or in capitals ("KESKI-SUOMEN ELY-KESKUS"), never in
# lower case: "säätiö" in a name is not the funder "Säätiö".
def _funder_alternation(implementing: bool) -> str:
    """The registry's spellings of funders that also implement projects (or of those that do not), as written,
    capitalised ("Nordens Välfärdscenter") and in capitals, longest first. An agency's abbreviation ("STEA",
    "THL") is a funder's wherever it stands."""
    spellings = [
        s
        for s, t in vocabulary.funder_spellings()
        if (t in vocabulary.IMPLEMENTING_FUNDER_TYPES and not (t in _ABBREVIATING_TYPES and s.isupper()))
        == implementing
    ]
    capitalised = [" ".join(w[:1].upper() + w[1:] for w in s.split()) for s in spellings]
    variants = {v for s in [*spellings, *capitalised] for v in (s, s.upper())}
    # Grouped by first letter ("E(?:SR|AKR|...)"): at each word the regex engine tries one group, not every
    # spelling (hundreds of alternatives made this a parser's slowest step).
    groups: dict[str, list[str]] = {}
    for v in sorted(variants, key=lambda v: (-len(v), v)):
        groups.setdefault(v[0], []).append(vocabulary.spelling_pattern(v)[len(re.escape(v[0])) :])
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in sorted(groups.items()))


# A fund, a programme, a ministry, a foundation or an agency: funding wherever it stands before the description.
FUNDER = re.compile(rf"(?<![\w-])(?:{_funder_alternation(False)}|\w*ministeriö)(?![\w+])")
# A body that also implements projects (a regional council, an ELY centre, a Leader group): funding only where
# the text shows a funding cell (`funding_context`), not in a list of implementers ("ProAgria ry, Lapin liitto").
IMPLEMENTING_FUNDER = re.compile(rf"(?<![\w-])(?:{_funder_alternation(True)}|ELY-keskus)(?![\w-])")
LONGEST_FUNDER = max(len(spelling) for spelling, _ in vocabulary.funder_spellings()) + 10  # (+ spaces of a PDF)
# What follows a funder in a funding cell: "/" and the granting body ("ELY-keskus/ESR"), a bracket, a date or a
# year (on the same line), or another funder ("Peräpohjolan Leader, Outokaira").
FUNDING_CONTEXT = re.compile(r" ?(?:[/(]|\d)")
_PERIOD_IN_BLOCK = re.compile(r"(?<![\w.])(?:\d{1,2}\.\d{1,2}\.|(?:19|20)\d{2}(?!\d))")
_LIST_GLUE = re.compile(r"\s*(?:[,&]|\s(?:ja|sekä))\s*")


def first_funder(text: str, pos: int, end: int | None = None) -> int | None:
    """Offset of the first funder mention in text[pos:end] that opens a funding cell (`FUNDER`, or an
    implementing body in a funding context), or None."""
    end = len(text) if end is None else end
    m = FUNDER.search(text, pos, end)
    first = m.start() if m else None
    for body in IMPLEMENTING_FUNDER.finditer(text, pos, end if first is None else first):
        if funding_context(text, body):
            return body.start()
    return first


def funding_context(text: str, mention: re.Match[str]) -> bool:
    """The mention stands in a funding cell: after "/" ("EAKR/Lapin liitto"), before "/", a bracket, a date or a
    year ("Keski-Suomen ELY-keskus/ESR", "Peräpohjolan Leader 05.05.2017"), or listed with another funder."""
    if text[mention.start() - 1 : mention.start()] == "/" or FUNDING_CONTEXT.match(text, mention.end()):
        return True
    if mention.start() > 0 and text[mention.start() - 1] == "\n":
        # it opens a block that holds a date or a year ("Outokairan" / "Nuoriso-" / "Leader 2017-")
        block_end = text.find("\n", mention.end())
        period = _PERIOD_IN_BLOCK.search(text, mention.end(), len(text) if block_end < 0 else block_end)
        # ... and no other funder stands between ("Lapin liitto" + "EAKR/Lapin liitto 2016-": the implementer)
        between = (mention.end(), period.start()) if period else None
        if between and not (FUNDER.search(text, *between) or IMPLEMENTING_FUNDER.search(text, *between)):
            return True
    if not (glue := _LIST_GLUE.match(text, mention.end())):
        return False
    if FUNDER.match(text, glue.end()):
        return True
    listed = IMPLEMENTING_FUNDER.match(text, glue.end())  # another body: only if it is in a funding context
    return bool(listed) and bool(FUNDING_CONTEXT.match(text, listed.end()))
