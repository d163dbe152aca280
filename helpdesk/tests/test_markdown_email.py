"""Markdown for e-mails (helpdesk.markdown.render_markdown with images=False): no image is loaded when the
message is opened, however the image was written; each becomes a link, and the link text stays text."""

import pytest

from helpdesk.markdown import render_markdown

ATTACKS = [
    "<script>alert('xss')</script>",
    '<img src="x" onerror="alert(\'xss\')">',
    "![img](javascript:alert('xss'))",
    '<img src="https://tracker.test/p.gif" alt="<script>alert(1)</script>">',
    '![<b onmouseover=alert(1)>x</b>](https://tracker.test/p.gif "t\\" onload=\\"alert(1)")',
]


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("![pixel](http://tracker.test/p.gif)", '<a href="http://tracker.test/p.gif" rel="noopener'),
        ("![](https://tracker.test/p.gif?u=1&c=2)", '<a href="https://tracker.test/p.gif?u=1&amp;c=2"'),
        ('<img src="https://tracker.test/raw.gif">', '<a href="https://tracker.test/raw.gif"'),
        ("<IMG SRC=//tracker.test/relative.gif>", '<a href="//tracker.test/relative.gif"'),
    ],
)
def test_every_image_becomes_a_link(text, link):
    html = render_markdown(f"Look: {text}", images=False)

    assert "<img" not in html
    assert link in html


def test_the_link_text_is_the_alt_text_or_else_the_address():
    assert ">the screen</a>" in render_markdown("![the screen](https://x.test/a.png)", images=False)
    assert ">https://x.test/a.png</a>" in render_markdown("![](https://x.test/a.png)", images=False)


@pytest.mark.parametrize("attack", ATTACKS)
def test_an_email_body_stays_sanitised(attack):
    html = render_markdown(attack, images=False)

    # Markup written into the alt text is shown as text (&lt;...), never as a tag or an attribute.
    for forbidden in (
        "<img",
        "<script",
        "<b ",
        "javascript:",
        "onerror=",
        'onload="',
        "onmouseover=alert(1)>",
    ):
        assert forbidden not in html
