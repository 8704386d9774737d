"""Descriptions keep their paragraphs and list items when markdown becomes text."""

from portal.api.plaintext import plain_text


def test_paragraphs_headings_and_lists_stay_apart():
    html = ("<p>Drop in any time.\nNo need to book.</p><h2>What happens here</h2>"
            "<ul><li>Stay and play</li><li>Baby clinic <strong>Mondays</strong></li></ul>"
            "<p>Call <span dir=\"ltr\">0161 496 0220</span> &amp; ask.</p>")
    assert plain_text(html) == (
        "Drop in any time. No need to book.\n\nWhat happens here\n\n"
        "- Stay and play\n- Baby clinic Mondays\n\nCall 0161 496 0220 & ask.")


def test_nothing_is_nothing():
    assert plain_text("") == "" and plain_text("<p> </p>") == ""


def test_a_service_description_has_its_paragraphs(api):
    hub = next(s for s in api.every_page("/services") if s["name"] == "Adswood Family Hub")
    description = api.get("/services/{id}", f"/services/{hub['id']}")["description"]
    paragraphs = description.split("\n\n")
    assert paragraphs[0] == hub["description"]  # the summary first
    assert "We are also open on Saturday mornings." in paragraphs
    assert "What happens here" in paragraphs
    assert "- Stay and play on Wednesday afternoons\n- Bumps and Babies" in description
    assert "##" not in description and "<" not in description
