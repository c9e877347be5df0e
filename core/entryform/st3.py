"""Two-letter codes of WIPO Standard ST.3 (states, other entities, intergovernmental
organisations), as the national-phase forms ask for them.

ST.3 is aligned with ISO 3166-1 alpha-2 for states and other entities (ST.3, paragraph 3), so
those codes come from `pycountry` (the Debian iso-codes tables, kept up to date with ISO). The
codes of the intergovernmental organisations and their offices are ST.3's own; they are listed
below from ST.3 Annex I, part 2 (the PCT Applicant's Guide's Annex K carries the same list).
`XX` ("unknown") is left out on purpose: a form names a real country or office.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import pycountry

# ST.3 Annex I, part 2: intergovernmental organisations (and their offices).
ORGANISATIONS: Final[dict[str, str]] = {
    "AP": "African Regional Intellectual Property Organization (ARIPO)",
    "BX": "Benelux Office for Intellectual Property (BOIP)",
    "EA": "Eurasian Patent Organization (EAPO)",
    "EM": "European Union Intellectual Property Office (EUIPO)",
    "EP": "European Patent Office (EPO)",
    "GC": "Patent Office of the Cooperation Council for the Arab States of the Gulf (GCC)",
    "IB": "International Bureau of the World Intellectual Property Organization (WIPO)",
    "OA": "African Intellectual Property Organization (OAPI)",
    "QZ": "Community Plant Variety Office (European Union) (CPVO)",
    "WO": "World Intellectual Property Organization (WIPO)",
    "XN": "Nordic Patent Institute (NPI)",
    "XU": "International Union for the Protection of New Varieties of Plants (UPOV)",
    "XV": "Visegrad Patent Institute (VPI)",
}


@cache
def codes() -> frozenset[str]:
    """Every accepted code: ISO 3166-1 alpha-2 and the ST.3 organisation codes."""
    return frozenset({c.alpha_2 for c in pycountry.countries} | set(ORGANISATIONS))


def normalize(code: str) -> str | None:
    """`de`, ` DE ` → `DE`; None when it is not an ST.3 code."""
    value = code.strip().upper()
    return value if value in codes() else None
