"""axe-core in the browser tests: `assert_accessible(page)` runs axe on the page as it is now and fails on any
critical or serious violation, listing each with the elements it found. axe is the vendored copy in
tests/vendor/axe-core/ (its README says which version); the portal never serves it."""

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")
# WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices (those report at most "moderate" but for
# a few, e.g. a duplicate id of an ARIA reference).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, *, impacts=FAILING_IMPACTS) -> list[dict]:
    """axe's violations of the given impacts on the page. axe is evaluated through the DevTools protocol,
    which the page's Content-Security-Policy (script-src 'self') does not apply to."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        "options => axe.run(document, options).then(result => result.violations)", RUN_OPTIONS
    )
    return [violation for violation in violations if violation["impact"] in impacts]


def violations_text(violations: list[dict], *, where: str = "") -> str:
    """One readable block per violation: its impact, rule and help, then each element with axe's summary."""
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(node['target'])}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    header = f"{len(violations)} critical or serious accessibility violation(s)" + (
        f" on {where}" if where else ""
    )
    return "\n".join([header, *lines])


def assert_accessible(page, *, where: str = "") -> None:
    """Fail when axe finds a critical or serious violation on the page; `where` names it in the message."""
    violations = axe_violations(page)
    assert not violations, violations_text(violations, where=where or page.url)
