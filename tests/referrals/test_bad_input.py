"""The referral form given field names no browser sends (issue 11, L3)."""

import pytest

from .conftest import good_answers


@pytest.mark.parametrize("index", ["9" * 4300, "9" * 5000, "1" + "0" * 40, "٣", "²"],
                         ids=lambda index: f"{len(index)} chars")
def test_a_huge_or_odd_child_index_is_ignored(make_app, tmp_path, index):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'portal.db'}", SMTP_URL=None,
                   WTF_CSRF_ENABLED=False)
    answers = good_answers()
    answers.add(f"children-{index}-born", "yes")
    response = app.test_client().post("/en/refer", data={**answers.to_dict(flat=False), "add_child": "1"})
    assert response.status_code == 200
