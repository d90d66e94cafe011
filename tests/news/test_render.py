"""Markdown rendering and sanitising: hostile input never survives, ordinary Markdown does."""

from __future__ import annotations

import pytest

from sharing.news import render
from tests.news.conftest import XSS_PAYLOADS, assert_safe_html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markdown_is_neutralised(payload):
    out = render.render_markdown(payload)
    assert_safe_html(out)
    assert render.clean(out) == out  # cleaning again changes nothing (idempotent)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_output_cleaner_strips_what_a_stale_cache_might_hold(payload):
    """Defence on output: even raw hostile HTML in the cached column is cleaned when shown."""
    assert_safe_html(render.clean(payload))
    assert_safe_html(str(render.safe_html(payload)))


def test_ordinary_markdown_renders():
    out = render.render_markdown(
        "# 제목\n\n**굵게** *기울임* `코드`\n\n- 하나\n- 둘\n\n> 인용\n\n[센터](https://www.sb.go.kr) <mailto:a@b.kr>"
    )
    assert "<h2>제목</h2>" in out  # headings start at h2: the post title is the page's h1
    assert "<strong>굵게</strong>" in out and "<em>기울임</em>" in out and "<code>코드</code>" in out
    assert "<ul>" in out and "<li>하나</li>" in out and "<blockquote>" in out
    assert '<a href="https://www.sb.go.kr" rel="nofollow noopener">센터</a>' in out
    assert 'href="mailto:a@b.kr"' in out


def test_raw_html_is_shown_as_text_and_urls_are_not_linkified():
    out = render.render_markdown("<b>굵게</b> https://example.com")
    assert "&lt;b&gt;굵게&lt;/b&gt;" in out
    assert "<a " not in out


def test_relative_and_http_images_are_kept_without_handlers():
    out = render.render_markdown("![지도](/media/abc.png) ![밖](https://example.com/a.png)")
    assert '<img src="/media/abc.png" alt="지도">' in out
    assert 'src="https://example.com/a.png"' in out


def test_excerpt_is_plain_text_and_short():
    html = render.render_markdown("## 안내\n\n**굵은** 글과 [링크](https://a.kr) & <태그>\n\n" + "가" * 400)
    text = render.excerpt(html)
    assert "<" not in text.replace("<태그>", "") and "&amp;" not in text
    assert text.startswith("안내 굵은 글과 링크 & <태그>")
    assert len(text) <= 160 and text.endswith("…")
    assert render.excerpt(render.render_markdown("<script>alert(1)</script>")) == "<script>alert(1)</script>"
