"""Per visit: skip link, language, error identification, forbidden content (Playwright)."""

from __future__ import annotations

import pytest

from accessibility_tests import (
    answers,
    error_identification,
    inventory,
    language,
    markup,
    navigation,
)
from accessibility_tests.audits import PageRecord
from accessibility_tests.journey import Visit
from accessibility_tests.report import Ledger
from accessibility_tests.walk import WalkResult
from portal.locales import LANGUAGES, html_lang

pytestmark = pytest.mark.browser
LANGUAGE_NAMES = {language.name: language.html_lang for language in LANGUAGES}


@pytest.mark.wcag("2.4.1")
def test_skip_link_comes_first_and_main_is_its_target(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    ledger.assert_clean(navigation.skip_link(record.facts, record.where))


@pytest.mark.wcag("3.1.1")
def test_html_lang_names_the_locale(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    ledger.assert_clean(language.page_language(record.facts, record.where, html_lang(visit.locale)))


@pytest.mark.wcag("3.1.2")
def test_text_in_another_language_carries_its_lang(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    theirs = visit.typed + answers.card_texts()  # proper names and answers are the resident's
    ledger.assert_clean(language.parts_language(record.facts, record.where, theirs, LANGUAGE_NAMES))


@pytest.mark.wcag("3.3.1", "3.3.3")
def test_errors_are_summarised_linked_and_tied_to_their_fields(
    error_visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(error_visit)
    ledger.assert_clean(error_identification.check(record.facts, record.where, error_visit.invalid))


@pytest.mark.wcag("1.4.2", "2.2.1", "2.2.2")
def test_nothing_plays_blinks_or_refreshes_by_itself(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    ledger.assert_clean(inventory.forbidden(record.facts, record.where))


@pytest.mark.wcag("1.4.4")
def test_text_reflows_at_200_percent_and_320_px(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    ledger.assert_clean(record.reflow)


@pytest.mark.wcag("2.4.7")
def test_each_kind_of_focusable_element_shows_focus(
    visit: Visit, records: WalkResult[PageRecord], ledger: Ledger
) -> None:
    record = records.reached(visit)
    ledger.assert_clean(record.focus)


@pytest.mark.wcag("4.1.1")
def test_markup_is_valid_html(
    served_visit: Visit,
    records: WalkResult[PageRecord],
    markup_errors: dict[str, list[markup.Message]],
    ledger: Ledger,
) -> None:
    record = records.reached(served_visit)
    ledger.assert_clean(markup.findings(markup_errors[served_visit.id], record.where))
