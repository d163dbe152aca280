"""The {% icon %} tag: Bootstrap Icons from the vendored sprite, and every icon a template or a header entry
names exists in it (a typo would draw nothing, silently)."""

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from helpdesk.navigation import ENTRIES

SPRITE = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap-icons" / "bootstrap-icons.svg"


def sprite_ids() -> set[str]:
    return set(re.findall(r'<symbol[^>]* id="([^"]+)"', SPRITE.read_text(encoding="utf-8")))


def test_the_icon_tag_draws_a_symbol_of_the_sprite_hidden_from_screen_readers():
    html = Template('{% load helpdesk_tags %}{% icon "bell" %}').render(Context())
    assert html == (
        '<svg class="bi" aria-hidden="true" focusable="false">'
        '<use href="/static/vendor/bootstrap-icons/bootstrap-icons.svg#bell"></use></svg>'
    )


def test_every_icon_named_in_templates_and_the_header_is_in_the_sprite():
    names = {entry.icon for entry in ENTRIES if entry.icon}
    for template in Path(settings.BASE_DIR).glob("**/templates/**/*.html"):
        if ".venv" not in template.parts:
            names.update(re.findall(r'{%\s*icon\s+"([^"]+)"', template.read_text(encoding="utf-8")))
    assert names, "no icon found: the search is wrong"
    assert names <= sprite_ids(), names - sprite_ids()
