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


def _words(text: str) -> frozenset[str]:
    """Words of a literal list, as `normalise` and `stem_be` spell them (ё→е, ў→у too)."""
    words = text.replace("ё", "е").split()
    return frozenset(words + [w.replace("ў", "у") for w in words])


STOPWORDS: Final[dict[Lang, frozenset[str]]] = {
    "ru": _words(
        """
        а в и к о с у я бы во вы да до ее ей же за из им их ко ли мы на не ни но об он
        от по со та те то без был вам вас ваш все всю вся всё где для его ему еще или
        как кто мне мои мой мою моя над нам нас она они оно под при про сам так там тот
        тут уже чем что эта эти это была были было быть вашу весь если есть кого куда
        меня надо свои свой свою себе себя хочу чего этот будет здесь какая какие каков
        какое какой когда можно нужно скажи также хотел хотим через вопрос каково самому
        хотела которая которое которые который скажите подскажи подскажите пожалуйста
        расскажите
        """
    ),
    "be": _words(
        """
        а в ж з й к у я і ў аб ад бы вы да ка мы на не ні па са то ці яе як ёй ён ім іх
        але без быў вам вас ваш дзе для мае маю мая мне мой над нам нас пад пра пры сам
        так там тая той тут тыя ужо уся усё хто чым што яго які яму яна яно яны ўсю ўсё
        была было былі быць гэта гэты каго калі куды мяне праз свае сваю свой сябе хачу
        чаго якая якое якія яшчэ ёсць будзе гэтая гэтыя ласка можна скажы трэба увесь
        хацеў хочам хацела падкажы пытанне скажыце таксама патрэбна падкажыце раскажыце
        """
    ),
    "en": _words(
        """
        a i s am an at be by do he if in is it me my of on or to us we and any are but
        can did for had has how its may our she the was who why you been does done from
        have here into know must need over some tell that them then they this want were
        what when whom will with your about being could doing might shall their there
        these those under where which whose would please should wanted
        """
    ),
}
# How much, how late or how long, vaguely ("how much", "by a few weeks", "на несколько дней",
# "мінулы тыдзень"): such words say what is asked or that something is late
# (core/faq/intent.py reads that), never which topic — as words they would pull a question to
# whichever paraphrase happens to hold them.
VAGUE_DURATION: Final[frozenset[str]] = _words(
    """
    much few couple several week weeks day days last
    несколько пару пара неделя недели неделю недель недель неделе день дня дней сутки прошлой
    прошлый прошлую
    некалькі пару тыдзень тыдня тыдні тыдняў дзень дня дні дзён мінулым мінулы мінулую
    """
)
# A question may mix languages (a Latin acronym in a Russian question): one set for all.
ALL_STOPWORDS: Final[frozenset[str]] = frozenset().union(*STOPWORDS.values(), VAGUE_DURATION)


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
        _words(
            """
            анне ання анні ацца енне ення енні ецца ыцца энне эння энні іцца ага аму
            амі аць ець ога ому уць ымі юць яга яму ямі імі іць ае ай ам ах ая аў ее
            ей ем еў ое ой ом оў ую це ць ці ый ым ых ыя ыі юю яе ям ях яў ём ім іх
            а е о у ы ь ю я ё і
            """
        ),
        key=len,
        reverse=True,
    )
)


def stem_be(word: str) -> str:
    """Strip one Belarusian inflexion (a light stemmer; there is no Snowball one).

    ў is read as у: the two alternate at the start of a word («у/ў», «ужо/ўжо»)."""
    word = word.replace("ў", "у")
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
