from django import template

from helpdesk.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


@register.filter(name="markdown_email")
def markdown_email_filter(text):
    """Markdown for an e-mail: images become links, so that opening the message loads nothing remote."""
    return render_markdown(text, images=False)
