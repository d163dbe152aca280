from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from helpdesk.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="markdown_email")
def markdown_email_filter(text):
    """Markdown for an e-mail: images become links, so that opening the message loads nothing remote."""
    return render_markdown(text, images=False)


AVATAR_TONES = 8  # .avatar-tone-0 ... -7 in portal.css, each dark enough for white initials (>= 4.5:1)


@register.simple_tag
def avatar(user):
    """A person's initials in a circle, its colour from a hash of their id (the same person, the same colour
    on every page); decorative: the name is written next to it. No user: the portal itself."""
    if user is None:
        return format_html('<span class="avatar avatar-system" aria-hidden="true">{}</span>', "HD")
    words = (user.full_name or "").split()
    initials = "".join(word[0] for word in words[:1] + words[1:][-1:]) or user.email[:1]
    tone = (user.pk * 2654435761) % 2**32 % AVATAR_TONES  # Knuth's multiplicative hash: neighbours differ
    return format_html(
        '<span class="avatar avatar-tone-{}" aria-hidden="true">{}</span>', tone, initials.upper()
    )


ICON_SPRITE = "vendor/bootstrap-icons/bootstrap-icons.svg"


@register.simple_tag
def icon(name, css_class=""):
    """A Bootstrap Icons symbol from the vendored sprite (an SVG file, so no inline style or script), hidden
    from screen readers: the text beside it names the action."""
    classes = f"bi {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        classes,
        static(ICON_SPRITE),
        name,
    )
