"""WIPO ST.3 codes on the form: ISO 3166-1 alpha-2 (ST.3 paragraph 3) and the organisation
codes of ST.3 Annex I part 2; "XX" (unknown) is not a code a form can name."""

from __future__ import annotations

import pytest

from core.entryform import st3


@pytest.mark.parametrize("code", ["BY", "de", " ru ", "EP", "EA", "WO", "IB", "OA", "AP", "GC"])
def test_accepted(code: str) -> None:
    assert st3.normalize(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["XX", "ZZ", "UK", "GER", "", "E P"])
def test_refused(code: str) -> None:
    assert st3.normalize(code) is None
