"""Japanese words inside pages in other languages get lang="ja" (3.1.2)."""

from __future__ import annotations

import pytest

from portal.language_of_parts import japanese_runs, mark_japanese


def page(lang: str, body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


def test_a_japanese_word_in_an_english_sentence_is_marked():
    marked = mark_japanese(page("en", "<p>Go to the ward office (区役所) today.</p>"))
    assert '<p>Go to the ward office (<span lang="ja">区役所</span>) today.</p>' in marked


def test_japanese_pages_are_left_as_they_are():
    original = page("ja", "<p>区役所へ</p>")
    assert mark_japanese(original) is original


def test_text_already_inside_a_japanese_element_is_left_alone():
    body = '<p>Name: <span lang="ja">横浜 花子</span> and <b>市役所</b></p>'
    marked = mark_japanese(page("en", body))
    assert '<span lang="ja">横浜 花子</span>' in marked
    assert '<b><span lang="ja">市役所</span></b>' in marked
    assert marked.count('lang="ja"') == 2


def test_on_chinese_and_korean_pages_only_runs_with_kana_are_japanese():
    zh = mark_japanese(page("zh-Hans", "<p>个人编号卡（マイナンバーカード）和住民票の写し</p>"))
    assert '（<span lang="ja">マイナンバーカード</span>）' in zh
    assert (
        '和<span lang="ja">住民票の写し</span>' in zh
        or '<span lang="ja">和住民票の写し</span>' in zh
    )
    assert '<span lang="ja">个人编号卡' not in zh
    ko = mark_japanese(page("ko", "<p>마이넘버 카드(マイナンバーカード) 漢字</p>"))
    assert '(<span lang="ja">マイナンバーカード</span>) 漢字' in ko


@pytest.mark.parametrize("tag", ["title", "option", "textarea", "script", "style"])
def test_text_that_cannot_hold_markup_is_not_touched(tag):
    body = f"<{tag}>受付番号</{tag}>"
    assert body in mark_japanese(page("en", body))


def test_attributes_entities_and_comments_come_through_unchanged():
    body = (
        '<a href="/x?a=1&amp;b=2" title="受付番号">Ref &amp; 受付番号 &#12354;</a>'
        '<!-- 区役所 --><br><img alt="区役所" src="/i.png">'
    )
    marked = mark_japanese(page("vi", body))
    assert (
        '<a href="/x?a=1&amp;b=2" title="受付番号">Ref &amp; <span lang="ja">受付番号</span> &#12354;</a>'
        in marked
    )
    assert '<!-- 区役所 --><br><img alt="区役所" src="/i.png">' in marked


def test_an_element_closed_later_restores_the_outer_language():
    body = '<div lang="ja"><p>区役所</p></div><p>then 区役所</p>'
    marked = mark_japanese(page("es", body))
    assert '<div lang="ja"><p>区役所</p></div><p>then <span lang="ja">区役所</span></p>' in marked


def test_a_name_with_a_space_is_one_run():
    marked = mark_japanese(page("en", "<dd>横浜 花子 (Yokohama)</dd>"))
    assert '<dd><span lang="ja">横浜 花子</span> (Yokohama)</dd>' in marked


def test_runs_take_japanese_punctuation_but_not_latin():
    text = "número (番地・号) y 「受付」です. OK"
    spans = [text[a:b] for a, b in japanese_runs(text, "es")]
    assert spans == ["番地・号", "受付」です"]


def test_a_quoted_angle_bracket_in_an_attribute_does_not_end_the_tag():
    body = '<p title="a > b" lang="ja">区役所</p><p data-x=\'<\'>区役所</p>'
    marked = mark_japanese(page("en", body))
    assert '<p title="a > b" lang="ja">区役所</p>' in marked
    assert "<p data-x='<'><span lang=\"ja\">区役所</span></p>" in marked


def test_what_looks_like_a_tag_inside_a_script_is_not_one():
    body = '<script>var s = "<p lang=ja>";</script><p>区役所</p>'
    marked = mark_japanese(page("en", body))
    assert '<p><span lang="ja">区役所</span></p>' in marked
