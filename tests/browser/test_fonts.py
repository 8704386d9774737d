"""Every language's words are drawn with a font for their script, from the
site's own font stack and the machine's fonts (nothing is downloaded)."""

import pytest

# The families site.css names for each script and Debian's packages give the
# test machine (`make system-deps`: fonts-noto-core, fonts-wqy-microhei).
EXPECTED = {
    "zh": {"WenQuanYi Micro Hei", "Noto Sans CJK SC"},
    "ar": {"Noto Naskh Arabic", "Noto Sans Arabic"},
    "ur": {"Noto Nastaliq Urdu", "Noto Naskh Arabic"},
    "bn": {"Noto Sans Bengali", "Noto Serif Bengali"},
}


def fonts_drawing(page, selector):
    """Return {family: glyphs} Chromium used for an element's text (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize("lang", sorted(EXPECTED))
@pytest.mark.parametrize("path, selector", [("/{lang}/", "main .lead"), ("/{lang}/whats-on", "main h1")])
def test_each_script_is_drawn_with_one_of_its_fonts(phone, lang, path, selector):
    phone.goto(path.format(lang=lang))
    drawn = fonts_drawing(phone, selector)
    assert drawn and set(drawn) <= EXPECTED[lang], drawn
