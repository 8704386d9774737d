"""Each language is analysed so that real words find each other."""

import pickle

import pytest

from portal.search.analysis import analyzer


def terms(lang, text):
    return [token.text for token in analyzer(lang)(text)]


@pytest.mark.parametrize("lang, a, b", [
    ("en", "visitors", "visitor"),
    ("en", "feeding", "feeds"),
    ("en", "clinics", "clinic"),
    # Polish inflects heavily: the Polish stemmer joins the forms.
    ("pl", "karmienie", "karmienia"),
    ("pl", "wizyta", "wizyty"),
    ("pl", "dzieci", "dzieciom"),
    # Arabic: vowel marks and hamza spellings do not matter.
    ("ar", "الرَّضَاعَة", "الرضاعة"),
    ("ar", "الأطفال", "الاطفال"),
    ("ar", "طفل", "الطفل"),
    # Urdu: Arabic and Urdu letter forms of the same word agree.
    ("ur", "بچی", "بچي"),
    ("ur", "کلینک", "كلينك"),
])
def test_forms_of_a_word_meet(lang, a, b):
    assert terms(lang, a) == terms(lang, b)


def test_the_english_stemmer_is_not_used_for_polish():
    # English Porter would leave "karmienie" whole or cut it wrongly.
    assert terms("pl", "karmienie piersią") == ["karmien", "piers"]


def test_arabic_vowel_marks_do_not_split_words():
    assert len(terms("ar", "زِيَارَةُ الطِّفْلِ")) == 2


def test_bengali_words_are_not_split_at_vowel_signs():
    assert terms("bn", "স্বাস্থ্য পরিদর্শক শিশুর ঘুম") == ["স্বাস্থ্য", "পরিদর্শক", "শিশুর", "ঘুম"]


def test_chinese_is_cut_into_overlapping_pairs():
    assert terms("zh", "母乳喂养") == ["母乳", "乳喂", "喂养"]
    # A word inside a sentence shares its pair with the query for it.
    assert "睡眠" in terms("zh", "宝宝的安全睡眠很重要")
    assert terms("zh", "睡") == ["睡"]


def test_mixed_chinese_and_latin_text():
    assert terms("zh", "EPEC课程") == ["epec", "课程"]


@pytest.mark.parametrize("lang", ["en", "pl", "ur", "ar", "bn", "zh", "fr"])
def test_analysers_survive_pickling_into_the_index(lang):
    restored = pickle.loads(pickle.dumps(analyzer(lang)))
    assert [t.text for t in restored("test")] == terms(lang, "test")
