"""Text normalisation for FAQ matching: case, letters, punctuation, stop-words, stems.

Russian and English use the Snowball stemmers. Belarusian has no Snowball stemmer, so
`stem_be` strips the common Belarusian inflexions (longest ending first), which is
enough to bring the forms of one word in a question and in a paraphrase together.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from typing import Final, Literal

import snowballstemmer

Lang = Literal["ru", "be", "en"]
LANGS: Final[tuple[Lang, ...]] = ("ru", "be", "en")

# Apostrophes (Belarusian uses ' and ʼ inside words: «аб'ява») and hyphens join a word;
# every other non-alphanumeric character separates words.
_APOSTROPHES: Final = str.maketrans({"’": "", "ʼ": "", "'": "", "`": "", "ё": "е", "ѐ": "е"})
_LACINKA: Final = "čšžŭłćśźń"
_WORD: Final = re.compile(rf"[0-9a-zа-яіўё{_LACINKA}]+")
_LATIN: Final = frozenset("abcdefghijklmnopqrstuvwxyz" + _LACINKA)
_CYRILLIC: Final = frozenset("абвгдежзийклмнопрстуфхцчшщъыьэюяіўё")
# Latin letters that look like Cyrillic ones (a word typed half on the wrong keyboard).
_LOOK_ALIKES: Final = str.maketrans("aeopcxykmthbi", "аеорсхукмтнві")
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
# Words that say nothing about which topic is asked — fillers, greetings, "get", "help",
# "possible": as words they would pull a question to whichever paraphrase happens to hold
# them (what such a question is about is in its other words).
FILLERS: Final[frozenset[str]] = _words(
    """
    also just still already yet now again ever even only very really too so such than like
    get gets got getting go going make made take use used using ask asked asking give let
    say see look help possible possibly thanks thank hi hello hey ok okay yes right well
    lot lots something anything thing things way exactly actually currently usually
    generally probably maybe perhaps basically guys dear regards kindly anyone somebody
    someone
    также тоже только очень просто вообще именно вот ну это свой своя свое свои сейчас
    теперь потом тогда хотелось хотели хотелось узнать сказать помочь помогите спасибо
    здравствуйте привет добрый доброго приветствую интересует интересно пожалуйста
    подскажете знать знаю понять кстати например вроде типа ребята коллеги уважаемые
    таксама толькі вельмі проста увогуле менавіта вось ну гэта сваё свая зараз цяпер потым
    тады хацелася хацелі даведацца сказаць дапамажыце дапамагчы дзякуй добры добрага
    прывітанне вітаю цікавіць цікава калегі паважаныя
    """
)
# Month names (and "г."/"гг." after a year): a date written out ("14 March 2023", "1 сакавіка")
# says when, never which topic — like a number, it must neither pull a question to a topic nor
# weigh against an answer as an unknown word would.
DATE_WORDS: Final[frozenset[str]] = _words(
    """
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    январь января январе февраль февраля феврале март марта марте апрель апреля апреле мая
    мае июнь июня июне июль июля июле август августа августе сентябрь сентября сентябре
    октябрь октября октябре ноябрь ноября ноябре декабрь декабря декабре г гг
    студзень студзеня студзені люты лютага лютым сакавік сакавіка сакавіку красавік красавіка
    красавіку травень траўня травеня траўні чэрвень чэрвеня чэрвені ліпень ліпеня ліпені
    жнівень жніўня жніўні верасень верасня верасні кастрычнік кастрычніка кастрычніку
    лістапад лістапада лістападзе снежань снежня снежні
    """
)
# A question may mix languages (a Latin acronym in a Russian question): one set for all.
ALL_STOPWORDS: Final[frozenset[str]] = frozenset().union(
    *STOPWORDS.values(), VAGUE_DURATION, FILLERS, DATE_WORDS
)
# The letters `_fold_latin` may change (Latin-1 Supplement to Latin Extended-B).
_LATIN_DIACRITIC: Final = re.compile("[\u00c0-\u024f]")
# "3rd", "20th": the number.
_ORDINAL: Final = re.compile(r"(?<![0-9a-z])([0-9]+)(?:st|nd|rd|th)(?![0-9a-z])")


def normalise(text: str) -> str:
    """Lower-case, NFC, ё→е, apostrophes dropped; the rest of punctuation becomes spaces.

    Latin letters with other diacritics lose them (é→e); the Belarusian Latin alphabet
    (łacinka: č š ž ŭ ł ć ś ź ń) keeps its letters for `translit`. A word that mixes scripts
    is typed with look-alikes on the wrong keyboard ("пошлiны" with a Latin i, "cрок" with a
    Latin c): its Latin letters become the Cyrillic ones they look like."""
    text = unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)
    text = _ORDINAL.sub(r"\1", text)
    if not text.isascii():
        text = _LATIN_DIACRITIC.sub(lambda m: _fold_latin(m[0]), text)
    return " ".join(_one_script(w) for w in _WORD.findall(text))


def _fold_latin(ch: str) -> str:
    """A Latin letter with a diacritic other than łacinka's, without it."""
    if ch.isascii() or ch in _LACINKA or not ("\u00c0" <= ch <= "\u024f"):
        return ch
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii())


def _one_script(word: str) -> str:
    if word.isascii() or not (set(word) & _CYRILLIC) or not (set(word) & _LATIN):
        return word
    return word.translate(_LOOK_ALIKES)


def is_latin(word: str) -> bool:
    """A word in Latin letters (English, or Russian/Belarusian in transliteration)."""
    return all(ch in _LATIN or ch.isdigit() for ch in word)


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
    """Stop-word-free stems of `text`, read as language `lang`, as the lexicon names them."""
    return [c for w in normalise(text).split() if w not in ALL_STOPWORDS for c in canon(w, lang)]


def word_langs(word: str) -> tuple[Lang, ...]:
    """The languages a normalised word may be in, by its letters."""
    if is_latin(word):
        return ("en",)
    letters = set(word)
    if letters & _BE_ONLY and not letters & _RU_ONLY:
        return ("be",)
    if letters & _RU_ONLY and not letters & _BE_ONLY:
        return ("ru",)
    return ("ru", "be")


def stem_lang(word: str, lang: Lang) -> Lang:
    """The language whose stemmer `stem(word, lang)` uses."""
    if is_latin(word):
        return "en"
    if lang == "en":
        return "be" if set(word) & _BE_ONLY else "ru"
    return lang


def canon(word: str, lang: Lang) -> tuple[str, ...]:
    """What the FAQ reads a normalised word as: its stem, as the lexicon names it."""
    read_as = stem_lang(word, lang)
    s = stem(word, read_as)
    return lexicon(read_as).get(s, (s,))


@cache
def lexicon(lang: Lang) -> dict[str, tuple[str, ...]]:
    """Stems in `lang` → the stems the FAQ reads them as (core/faq/lexicon.toml): a synonym as
    its group's first word, a compound ("нацфаза") as its parts. Other stems read as
    themselves."""
    with resources.files("core.faq").joinpath("lexicon.toml").open("rb") as fh:
        data = tomllib.load(fh)
    table: dict[str, tuple[str, ...]] = {}
    for group in data.get("synonyms", []):
        words = [normalise(w) for w in group]
        head = words[0]
        canonical = stem(head, word_langs(head)[0])
        for w in words:
            if lang in word_langs(w) and (s := stem(w, lang)) != canonical:
                table.setdefault(s, (canonical,))
    for word, readings in data.get("compounds", {}).items():
        w = normalise(word)
        if lang not in word_langs(w):
            continue
        parts = next(
            (r for r in readings if all(lang in word_langs(p) for p in normalise(r).split())),
            readings[0],
        )
        stems = [stem(p, lang) for p in normalise(parts).split() if p not in ALL_STOPWORDS]
        table.setdefault(stem(w, lang), tuple(table.get(p, (p,))[0] for p in stems))
    return table


# Russian and Belarusian typed in Latin letters ("skolko stoit patent", "kolki kaštuje"):
# a Latin word the index does not know is read again in Cyrillic, in the usual Russian-style
# transliteration, the Belarusian one (h → г, i → і) and łacinka (ch → х, ie → е, ł → л).
_TRANSLIT_COMMON: Final[dict[str, str]] = {
    "shch": "щ", "sch": "щ", "sh": "ш", "zh": "ж", "kh": "х", "ts": "ц", "tz": "ц",
    "ya": "я", "yu": "ю", "yo": "е", "ye": "е", "ja": "я", "ju": "ю", "jo": "е", "je": "е",
    "iy": "ий", "yy": "ый", "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф",
    "g": "г", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к",
    "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "ы", "z": "з",
    "č": "ч", "š": "ш", "ž": "ж", "ŭ": "ў", "ł": "л", "ć": "ць", "ś": "сь", "ź": "зь", "ń": "нь",
}  # fmt: skip
_TRANSLIT: Final[tuple[dict[str, str], ...]] = (
    {**_TRANSLIT_COMMON, "ch": "ч", "h": "х", "i": "и"},  # Russian
    {**_TRANSLIT_COMMON, "ch": "ч", "h": "г", "i": "і"},  # Belarusian
    {**_TRANSLIT_COMMON, "ch": "х", "h": "г", "i": "і", "ie": "е", "ia": "я", "iu": "ю", "io": "е"},
)
_TRANSLIT_LONGEST: Final = 4


def translit(word: str) -> tuple[str, ...]:
    """A Latin word in Cyrillic letters, in each way of transliterating it (distinct)."""
    out: list[str] = []
    for table in _TRANSLIT:
        i, parts = 0, []
        while i < len(word):
            for n in range(min(_TRANSLIT_LONGEST, len(word) - i), 0, -1):
                piece = table.get(word[i : i + n])
                if piece is not None:
                    parts.append(piece)
                    i += n
                    break
            else:
                parts.append(word[i])
                i += 1
        out.append("".join(parts))
    return tuple(dict.fromkeys(out))


# How a stem is spelt with the letters that are easiest to confuse folded together: Russian
# and Belarusian spellings of one word (патент/патэнт), a Belarusian word typed on a Russian
# keyboard (и for і, у for ў), a soft sign left out in transliteration, a doubled letter.
_SKELETON: Final = str.maketrans(
    {"э": "е", "ы": "и", "і": "и", "ў": "у", "й": "и", "ё": "е", "щ": "ш", "ъ": None, "ь": None}
)
_DOUBLE: Final = re.compile(r"(.)\1+")


def skeleton(stem_: str) -> str:
    """`stem_` with easily confused letters folded (see `_SKELETON`), doubled letters single."""
    return _DOUBLE.sub(r"\1", stem_.translate(_SKELETON))
