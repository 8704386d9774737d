"""Six languages: the URL decides, every page names its language and direction,
no English interface string leaks into a translated page."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .conftest import text_of

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ["pl", "ur", "ar", "bn", "zh"]
RTL = {"ur", "ar"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

PAGE_TYPES = [
    ("public.home", {}),
    ("public.section", {"section": "groups"}),
    ("public.section", {"section": "health-visiting"}),
    ("public.page", {"section": "hubs", "page_id": "brinnington"}),
    ("public.page", {"section": "groups", "page_id": "stay-and-play-reddish"}),
    ("public.page", {"section": "epec", "page_id": "being-a-parent-adswood"}),
    ("public.page", {"section": "health-visiting", "page_id": "sleep"}),
    ("public.page", {"section": "pages", "page_id": "about"}),
    ("public.whats_on", {}),
]


def catalog(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


def template():
    with open(TRANSLATIONS / "messages.pot", "rb") as pot:
        return read_po(pot)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(lang):
    messages = catalog(lang)
    missing, wrong = [], []
    for source in template():
        if not source.id:
            continue
        translated = messages.get(source.id, context=source.context)
        strings = translated.string if translated else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not translated or not all(strings):
            missing.append(source.id)
            continue
        ids = source.id if isinstance(source.id, tuple) else (source.id,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                wrong.append((source.id, string))
    assert not missing, f"{lang}: untranslated: {missing}"
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(lang):
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, \
        f"{mo} is missing or stale: run `make translations`"


def test_the_template_holds_every_message_in_the_code():
    """messages.pot must be re-extracted when a string changes."""
    from babel.messages.extract import extract_from_dir
    found = {
        message[2] for message in extract_from_dir(
            str(ROOT / "portal"), method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None},
        )
    }
    known = {m.id for m in template() if m.id}
    assert found <= known, \
        "run `make extract` to extract the new strings"


@pytest.mark.parametrize("lang", ["en"] + LANGUAGES)
@pytest.mark.parametrize("endpoint, values", PAGE_TYPES)
def test_every_page_type_names_its_language_and_direction(pages, lang, endpoint, values):
    html = pages.get(endpoint, lang=lang, **values)
    assert html.html["lang"] == lang
    assert html.html["dir"] == ("rtl" if lang in RTL else "ltr")
    hreflangs = {link["hreflang"] for link in html.select('link[rel=alternate]')}
    assert hreflangs == {"en", *LANGUAGES, "x-default"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_404_page_is_in_the_readers_language(pages, lang):
    english = text_of(pages.get_url("/en/hubs/nowhere", status=404).h1)
    translated = text_of(pages.get_url(f"/{lang}/hubs/nowhere", status=404).h1)
    assert translated != english


def test_an_unknown_language_is_a_404_in_the_default_language(pages):
    html = pages.get_url("/fr/hubs/", status=404)
    assert html.html["lang"] == "en" and text_of(html.h1) == "Page not found"


def english_interface_strings():
    """English messages of two words or more: a single word ("Feeding") also
    appears in content names ("Feeding Friends") that stay English."""
    strings = set()
    for message in template():
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            if text:
                strings.add(PLACEHOLDER.split(text)[0].strip())
    return {s for s in strings if len(s.split()) >= 2}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_english_interface_string_leaks_into_a_translated_page(pages, lang):
    english = english_interface_strings()
    for endpoint, values in PAGE_TYPES:
        html = pages.get(endpoint, lang=lang, **values)
        # Content is not interface: editors' words (which may quote English
        # terms) and untranslated content marked lang="en" are left out.
        for tag in html.select('[lang="en"], .prose, article > h1, article > .lead, .card p'):
            tag.decompose()
        text = text_of(html.body)
        leaks = sorted(s for s in english if s in text)
        assert not leaks, f"{lang} {endpoint} {values}: {leaks}"


def test_the_switcher_keeps_the_page_and_the_query(pages):
    html = pages.get("public.section", lang="pl", section="groups", locality="north")
    links = {a["hreflang"]: a["href"] for a in html.select(".languages a")}
    assert links["ur"] == "/ur/groups/?locality=north"
    assert set(links) == {"en", "ur", "ar", "bn", "zh"}
    current = html.select_one('.languages [aria-current]')
    assert text_of(current) == "Polski" and current["lang"] == "pl"
    names = [text_of(a) for a in html.select(".languages li")]
    assert names == ["English", "Polski", "اردو", "العربية", "বাংলা", "中文"]


def test_the_language_read_last_is_remembered(client):
    client.get("/ur/hubs/")
    assert client.get("/", headers={"Accept-Language": "pl"}).headers["Location"] == "/ur/"


def test_a_missing_translation_says_so_in_the_readers_language(pages):
    html = pages.get("public.page", lang="bn", section="groups", page_id="messy-play-reddish")
    notice = html.select_one(".notice")
    assert notice and "English" not in text_of(notice)
    article = html.select_one("article")
    assert article["lang"] == "en" and article["dir"] == "ltr"


def test_a_translated_page_is_in_its_language(pages):
    html = pages.get("public.page", lang="ur", section="hubs", page_id="brinnington")
    assert html.select_one("article").get("lang") is None  # inherits ur from <html>
    assert re.search(r"[\u0600-\u06ff]", text_of(html.h1))
    # Facts come from the English file: the phone number, as written there.
    assert html.select_one('a.ltr[href^="tel:0161496"]')


def test_a_stale_translation_is_gently_flagged(make_app, content_dir):
    english = content_dir / "en/hubs/brinnington.md"
    english.write_text(re.sub(r"updated: .*", "updated: 2099-01-01", english.read_text(), count=1))
    client = make_app(content=content_dir).test_client()
    body = client.get("/pl/hubs/brinnington").get_data(as_text=True)
    assert 'class="notice notice-language"' in body


def test_dates_and_weekdays_are_formatted_for_the_reader(pages):
    html = pages.get("public.page", lang="pl", section="hubs", page_id="brinnington")
    days = [text_of(th) for th in html.select(".hours th")]
    assert days[0] == "poniedziałek"
    html = pages.get("public.page", lang="zh", section="hubs", page_id="brinnington")
    assert text_of(html.select(".hours th")[0]) == "星期一"
