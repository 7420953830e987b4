"""Place names as prose writes them, in lists ("Kemissä, Oulussa ja Rovaniemellä"): shared by the kinds that
read prose. The names are resolved to official codes later (normalize.areas)."""

from __future__ import annotations

import re

# A place name in a local case: inessive/adessive/elative/ablative/allative (-ssa, -lla, -sta, -lta, -lle)
# or illative ("Kemiin", "Sodankylään", "Ouluun").
_PLACE_WORD = r"[A-ZÅÄÖ][a-zåäö-]+(?:ss[aä]|ll[aä]|st[aä]|lt[aä]|lle|([aeiouyäö])\1n|seen|h[aeiouyäö]n)"


# Capitalised words joined by commas or "ja"/"sekä". Linear on any text: a list starts only where no word goes on
# before it, each word and separator is taken whole (possessive), and a list that ends in a separator gives back
# one word (not possessive as a whole), so no start is retried from each of its characters.
_CAPITALISED_LIST = re.compile(r"(?<![\w-])(?:[A-ZÅÄÖ][\w-]*+(?:\s*+,\s*+|\s++(?:ja|sekä)\s++))+[A-ZÅÄÖ][\w-]*+")


def places_in_lists(text: str) -> list[str]:
    """Place names as written ("Kemissä", "Oulussa") from every list of two or more places in a local case.

    Inside a list ("Kemissä, Oulussa ja Rovaniemellä") the later words are capitalised mid-sentence, so they
    are proper nouns, and the first word is read with them. A lone capitalised word in a local case is not
    taken: it may just start a sentence ("Hankkeessa tehtävät kokeilut").
    """
    found: list[str] = []
    seen: set[str] = set()
    for match in _CAPITALISED_LIST.finditer(text):
        words = re.split(r"\s*,\s*|\s+(?:ja|sekä)\s+", match.group(0))
        # Every word of the list must be in a local case: "Kemin Lämärit ry, Oulun Kärpät" is not a place list.
        places = [w for w in words if re.fullmatch(_PLACE_WORD, w)]
        if len(places) >= 2 and len(places) == len(words):
            found.extend(dict.fromkeys(p for p in places if p not in seen))
            seen.update(places)
    return found
