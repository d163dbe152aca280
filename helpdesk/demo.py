"""Demo data for `make run`: each app registers its part in AppConfig.ready, `manage.py seed_demo` runs the
parts in order and `manage.py runserver --demo` prints what they want a visitor to know (the demo logins).

Keeps the base app free of imports from the apps built on it. A part is named by the dotted path of its
functions and imported only when used: no web or Celery process loads the demo texts.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoPart:
    name: str
    # A function that creates what is missing of the part (running it again adds nothing) and returns one
    # summary line.
    seed: str
    order: int = 50
    # A function that returns the lines to print once the development server listens, or "".
    welcome: str = ""

    def run(self) -> str:
        return import_string(self.seed)()


PARTS: list[DemoPart] = []


def demo_register(name: str, seed: str, order: int = 50, welcome: str = "") -> None:
    if not any(part.name == name for part in PARTS):
        PARTS.append(DemoPart(name, seed, order, welcome))
        PARTS.sort(key=lambda part: part.order)


def demo_welcome(url: str) -> list[str]:
    """The parts' welcome lines, then the portal's address, last so that it stays in sight."""
    lines = [line for part in PARTS if part.welcome for line in import_string(part.welcome)()]
    return [*lines, f"Jupiter HelpDesk demo: {url}"]
