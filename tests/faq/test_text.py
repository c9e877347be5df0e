"""How the FAQ reads words it was not written with: look-alike letters from the wrong keyboard,
łacinka and transliteration, Belarusian typed with Russian letters, synonyms and compounds."""

from __future__ import annotations

import pytest

from core.faq import load_faq
from core.faq.text import lexicon, normalise, skeleton, stem, tokens, translit

faq = load_faq()


def test_look_alike_latin_letters_inside_cyrillic_words_become_cyrillic() -> None:
    # a Latin i in a Belarusian word, a Latin c and o in a Russian one
    assert normalise("гадавыя пошлiны колькi") == "гадавыя пошліны колькі"
    assert normalise("cрoк PCT") == "срок pct"  # a word all in Latin stays Latin


def test_latin_diacritics_fold_but_lacinka_keeps_its_letters() -> None:
    assert normalise("Café née") == "cafe nee"
    assert normalise("Kaštuje pierakład") == "kaštuje pierakład"


def test_transliteration_in_the_usual_ways() -> None:
    assert "пошлины" in translit("poshliny")
    assert "месяц" in translit("mesyac")
    assert "каштуе" in translit("kaštuje")
    assert "пераклад" in translit("pierakład")  # łacinka: ie → е, ł → л
    assert "регістрацыя" in translit("rehistracyja")  # Belarusian h → г


def test_skeleton_folds_russian_and_belarusian_spellings() -> None:
    assert skeleton("патэнт") == skeleton("патент")
    assert skeleton(stem("пошліны", "be")) == skeleton(stem("пошлины", "ru"))
    assert skeleton("скольк") == skeleton("сколк")  # a soft sign left out


def test_lexicon_reads_synonyms_and_compounds_alike() -> None:
    phone = ("phone",)
    assert lexicon("ru")[stem("телефон", "ru")] == lexicon("be")[stem("тэлефон", "be")] == phone
    assert tokens("telephone", "en") == tokens("phone", "en")
    assert tokens("нацфазу", "ru") == tokens("национальную фазу", "ru")
    assert tokens("нацфазу", "be") == tokens("нацыянальную фазу", "be")
    # no stem is read as two groups, and no group swallows a topic's telling words
    assert stem("translation", "en") not in lexicon("en")
    assert stem("восстановление", "ru") not in lexicon("ru")


@pytest.mark.parametrize(
    ("lang", "question", "topic"),
    [
        # Russian and Belarusian in Latin letters
        ("ru", "skolko stoyat poshliny za patent na izobretenie", "national_fee_patent"),
        ("be", "kolki kaštujuć pošliny za karysnuju madel", "national_fee_utility_model"),
        # a Belarusian question typed on a Russian keyboard, and one with a Latin i
        ("be", "калькi каштуе пераклад на нацыянальнай фазе", "translation"),
        ("be", "тэрмiн уваходу ў нацыянальную фазу", "entry_time_limit"),
        # synonyms the paraphrases do not use
        ("en", "telephone number for consultations", "contacts"),
        ("ru", "сколько месяцев на вход в нацфазу", "entry_time_limit"),
    ],
)
def test_questions_in_other_spellings_find_their_topic(
    lang: str, question: str, topic: str
) -> None:
    assert faq.match(question, lang=lang).topic == topic  # type: ignore[arg-type]


def test_transliterated_question_is_read_in_the_users_language() -> None:
    m = faq.match("skolko stoyat poshliny za patent", lang="ru")
    assert m.lang == "ru" and "cost" in m.reading
    assert faq.match("how much is the grant fee", lang="ru").lang == "en"
