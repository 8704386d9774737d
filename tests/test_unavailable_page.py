"""The page nginx shows when no app server answers: up to date with the
translations, every language marked as itself."""

import re

from portal.ops import unavailable


def test_the_shipped_page_is_the_one_the_translations_give(app):
    assert unavailable.PATH.read_text(encoding="utf-8") == unavailable.render(app), (
        "static/unavailable.html is stale: run `make unavailable-page`")


def test_every_language_is_there_in_its_own_words_and_direction(app):
    page = unavailable.render(app)
    sections = dict(re.findall(r'<section lang="(\w+)" dir="(\w+)">', page))
    assert sections == {"en": "ltr", "pl": "ltr", "ur": "rtl", "ar": "rtl", "bn": "ltr",
                        "zh": "ltr"}
    assert "Odczekaj chwilę i spróbuj ponownie." in page  # Polish, from its catalogue
    assert "请等一分钟后再试。" in page
    assert page.count("999") == 6 and page.count("111") == 6
    assert not re.search(r"<script|<link|<style|style=", page)  # nothing the CSP or the app needs
