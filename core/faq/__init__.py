"""FAQ: answers in ru, be and en on PCT national-phase entry in Belarus, and a matcher.

from core.faq import load_faq
faq = load_faq()
m = faq.match("How long is the time limit for entering the national phase?", lang="en")
if m.topic is not None:
    print(faq.answer(m.topic, "en").text)
"""

from core.faq.base import CONFIDENCE_THRESHOLD, TOP_N, FaqBase, load_faq
from core.faq.models import Answer, MatchResult
from core.faq.text import LANGS, Lang

__all__ = [
    "CONFIDENCE_THRESHOLD",
    "LANGS",
    "TOP_N",
    "Answer",
    "FaqBase",
    "Lang",
    "MatchResult",
    "load_faq",
]
