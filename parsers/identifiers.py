"""Finnish business ids (Y-tunnus): how one is written and whether its check digit is right.

The one check every stage uses: the registry pages' parser keeps only a valid id, the organisation registry keys
organisations on it, and the schema of `organisations` refuses an invalid one. The check digit is python-stdnum's
(`stdnum.fi.ytunnus`); the shape is ours, because stdnum also takes "25287925" and "FI25287925", which a source
never writes for a business id (a bare run of eight digits is more likely anything else).
"""

from __future__ import annotations

import re

from stdnum.fi import ytunnus

# A business id as written: seven digits, a hyphen and the check digit ("2528792-5").
BUSINESS_ID = re.compile(r"\b\d{7}-\d\b")


def is_valid_business_id(value: str) -> bool:
    """`value` is a business id written "1234567-8" whose check digit is right."""
    return BUSINESS_ID.fullmatch(value) is not None and ytunnus.is_valid(value)


def read_business_id(text: str) -> tuple[str | None, str | None]:
    """The business id written in `text` if its check digit is right, else None; and what is wrong with what was
    written (None when it is valid or the text is blank)."""
    match = BUSINESS_ID.search(text)
    if not match:
        return None, (f"not a business id (1234567-8): {text!r}" if text.strip() else None)
    if not is_valid_business_id(match.group(0)):
        return None, f"invalid business id {match.group(0)} (check digit)"
    return match.group(0), None
