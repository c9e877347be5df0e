"""Text normalisation for FAQ matching: case, letters, punctuation, stop-words, stems.

Russian and English use the Snowball stemmers. Belarusian has no Snowball stemmer, so
`stem_be` strips the common Belarusian inflexions (longest ending first), which is
enough to bring the forms of one word in a question and in a paraphrase together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Final, Literal

import snowballstemmer

Lang = Literal["ru", "be", "en"]
LANGS: Final[tuple[Lang, ...]] = ("ru", "be", "en")

# Apostrophes (Belarusian uses ' and ʼ inside words: «аб'ява») and hyphens join a word;
# every other non-alphanumeric character separates words.
_APOSTROPHES: Final = str.maketrans({"’": "", "ʼ": "", "'": "", "`": "", "ё": "е", "ѐ": "е"})
_WORD: Final = re.compile(r"[0-9a-zа-яіўё]+")
_RU_ONLY: Final = frozenset("иъщ")
_BE_ONLY: Final = frozenset("іў")

STOPWORDS: Final[dict[Lang, frozenset[str]]] = {
    "ru": frozenset(
        [
            "а",
            "в",
            "во",
            "на",
            "о",
            "об",
            "от",
            "до",
            "по",
            "с",
            "со",
            "у",
            "к",
            "ко",
            "из",
            "за",
            "для",
            "при",
            "про",
            "над",
            "под",
            "без",
            "через",
            "и",
            "или",
            "ли",
            "же",
            "бы",
            "не",
            "ни",
            "но",
            "да",
            "то",
            "это",
            "этот",
            "эта",
            "эти",
            "тот",
            "та",
            "те",
            "как",
            "какой",
            "какая",
            "какое",
            "какие",
            "каков",
            "каково",
            "что",
            "чем",
            "чего",
            "кто",
            "кого",
            "где",
            "когда",
            "куда",
            "мне",
            "меня",
            "мой",
            "моя",
            "мою",
            "мои",
            "я",
            "мы",
            "нам",
            "нас",
            "вы",
            "вам",
            "вас",
            "вашу",
            "ваш",
            "он",
            "она",
            "оно",
            "они",
            "его",
            "ее",
            "их",
            "ему",
            "ей",
            "им",
            "есть",
            "быть",
            "был",
            "была",
            "было",
            "были",
            "будет",
            "можно",
            "нужно",
            "надо",
            "ли",
            "бы",
            "ли",
            "если",
            "то",
            "там",
            "тут",
            "здесь",
            "уже",
            "еще",
            "также",
            "так",
            "же",
            "все",
            "всё",
            "весь",
            "вся",
            "всю",
            "свой",
            "свою",
            "свои",
            "себя",
            "себе",
            "мой",
            "сам",
            "самому",
            "который",
            "которая",
            "которое",
            "которые",
            "пожалуйста",
            "подскажите",
            "скажите",
            "расскажите",
            "подскажи",
            "скажи",
            "хочу",
            "хотел",
            "хотела",
            "хотим",
            "вопрос",
        ]
    ),
    "be": frozenset(
        [
            "а",
            "ў",
            "у",
            "в",
            "на",
            "аб",
            "па",
            "з",
            "са",
            "да",
            "ад",
            "к",
            "ка",
            "для",
            "пры",
            "праз",
            "пра",
            "над",
            "пад",
            "без",
            "і",
            "й",
            "ці",
            "ж",
            "бы",
            "не",
            "ні",
            "але",
            "так",
            "то",
            "гэта",
            "гэты",
            "гэтая",
            "гэтыя",
            "той",
            "тая",
            "тыя",
            "як",
            "які",
            "якая",
            "якое",
            "якія",
            "што",
            "чым",
            "чаго",
            "хто",
            "каго",
            "дзе",
            "калі",
            "куды",
            "мне",
            "мяне",
            "мой",
            "мая",
            "маю",
            "мае",
            "я",
            "мы",
            "нам",
            "нас",
            "вы",
            "вам",
            "вас",
            "ваш",
            "ён",
            "яна",
            "яно",
            "яны",
            "яго",
            "яе",
            "іх",
            "яму",
            "ёй",
            "ім",
            "ёсць",
            "быць",
            "быў",
            "была",
            "было",
            "былі",
            "будзе",
            "можна",
            "трэба",
            "патрэбна",
            "калі",
            "там",
            "тут",
            "ужо",
            "яшчэ",
            "таксама",
            "ўсё",
            "усё",
            "увесь",
            "уся",
            "ўсю",
            "свой",
            "сваю",
            "свае",
            "сябе",
            "сам",
            "які",
            "якая",
            "якія",
            "калі",
            "ласка",
            "падкажыце",
            "скажыце",
            "раскажыце",
            "падкажы",
            "скажы",
            "хачу",
            "хацеў",
            "хацела",
            "хочам",
            "пытанне",
        ]
    ),
    "en": frozenset(
        [
            "a",
            "an",
            "the",
            "of",
            "to",
            "in",
            "on",
            "at",
            "for",
            "from",
            "by",
            "with",
            "about",
            "into",
            "over",
            "under",
            "and",
            "or",
            "but",
            "if",
            "then",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "am",
            "do",
            "does",
            "did",
            "done",
            "doing",
            "have",
            "has",
            "had",
            "i",
            "me",
            "my",
            "we",
            "us",
            "our",
            "you",
            "your",
            "he",
            "she",
            "it",
            "its",
            "they",
            "them",
            "their",
            "this",
            "that",
            "these",
            "those",
            "there",
            "here",
            "what",
            "which",
            "who",
            "whom",
            "whose",
            "when",
            "where",
            "why",
            "how",
            "can",
            "could",
            "should",
            "would",
            "will",
            "shall",
            "may",
            "might",
            "must",
            "please",
            "tell",
            "me",
            "know",
            "need",
            "want",
            "wanted",
            "any",
            "some",
            "s",
        ]
    ),
}
# A question may mix languages (a Latin acronym in a Russian question): one set for all.
ALL_STOPWORDS: Final[frozenset[str]] = frozenset().union(*STOPWORDS.values())


def normalise(text: str) -> str:
    """Lower-case, NFC, ё→е, apostrophes dropped; the rest of punctuation becomes spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    return " ".join(_WORD.findall(text))


def guess_lang(words: list[str], hint: Lang) -> Lang:
    """The language of a normalised question: Latin → en; Cyrillic → be or ru by letters."""
    latin = cyrillic = 0
    letters: set[str] = set()
    for word in words:
        if word.isdigit():
            continue
        if word.isascii():
            latin += 1
        else:
            cyrillic += 1
            letters.update(word)
    if latin > cyrillic:
        return "en"
    if cyrillic == 0:
        return hint
    has_be, has_ru = bool(letters & _BE_ONLY), bool(letters & _RU_ONLY)
    if has_be and not has_ru:
        return "be"
    if has_ru and not has_be:
        return "ru"
    return hint if hint != "en" else "ru"


# Belarusian inflexions, longest first. A stem keeps at least three letters.
_BE_ENDINGS: Final[tuple[str, ...]] = tuple(
    sorted(
        [
            "ацца",
            "ецца",
            "іцца",
            "ыцца",
            "енне",
            "ення",
            "енні",
            "энне",
            "эння",
            "энні",
            "анне",
            "ання",
            "анні",
            "ымі",
            "імі",
            "амі",
            "ямі",
            "ога",
            "ага",
            "яга",
            "ому",
            "аму",
            "яму",
            "ыя",
            "ыі",
            "ая",
            "ую",
            "юю",
            "ое",
            "ой",
            "ый",
            "ай",
            "ей",
            "ым",
            "ім",
            "ых",
            "іх",
            "ах",
            "ях",
            "ам",
            "ям",
            "ом",
            "ем",
            "ём",
            "аў",
            "яў",
            "оў",
            "еў",
            "ць",
            "ці",
            "це",
            "уць",
            "юць",
            "аць",
            "ець",
            "іць",
            "ае",
            "яе",
            "ее",
            "а",
            "я",
            "о",
            "е",
            "ё",
            "у",
            "ю",
            "ы",
            "і",
            "ь",
        ],
        key=len,
        reverse=True,
    )
)


def stem_be(word: str) -> str:
    """Strip one Belarusian inflexion (a light stemmer; there is no Snowball one)."""
    for ending in _BE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _snowball(name: str) -> Callable[[str], str]:
    stemmer = snowballstemmer.stemmer(name)

    def stem(word: str) -> str:
        result: str = stemmer.stemWord(word)
        return result

    return stem


_STEMMERS: Final[dict[Lang, Callable[[str], str]]] = {
    "ru": _snowball("russian"),
    "en": _snowball("english"),
    "be": stem_be,
}


@lru_cache(maxsize=65536)
def stem(word: str, lang: Lang) -> str:
    """The stem of one normalised word; numbers and Latin words inside Cyrillic text too."""
    if word.isdigit():
        return word
    if word.isascii():
        return _STEMMERS["en"](word)
    if lang == "en":  # a Cyrillic word in an English question
        lang = "be" if set(word) & _BE_ONLY else "ru"
    return _STEMMERS[lang](word)


def tokens(text: str, lang: Lang) -> list[str]:
    """Stop-word-free stems of `text`, read as language `lang`."""
    return [stem(w, lang) for w in normalise(text).split() if w not in ALL_STOPWORDS]
