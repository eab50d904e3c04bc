"""What every public page in the browser tests must pass, and the screenshots kept of it."""

import json
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPOSITORY / "test-results" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
# axe's own scale is minor, moderate, serious, critical; the last two fail a page.
FAILING_IMPACTS = {"serious", "critical"}


def assert_self_contained(page):
    """Fail if the page asked for anything from another host, or its security policy
    blocked part of it."""
    assert page.foreign_requests == [], f"requests to other hosts from {page.url}"
    assert page.policy_errors == [], "Content-Security-Policy violations:\n" + "\n".join(
        page.policy_errors
    )


def axe_violations(page, axe_script):
    """Run axe-core on the page as it is now; return its serious and critical violations."""
    # evaluate() runs the script through the DevTools protocol, which the page's
    # Content-Security-Policy does not govern; an injected <script> would be refused.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_script)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations):
    """Say what axe found, and where, in words a developer can act on."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"  at {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " ")
                lines.append(f"     {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, axe_script):
    violations = axe_violations(page, axe_script)
    assert violations == [], f"axe found problems on {page.url}:\n{describe(violations)}"


def screenshot(page, name, *, element=None):
    """Save a picture of the page (or of one element of it) at the page's current width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    # A full-page picture does not scroll, so pictures below the fold, loaded lazily, would
    # come out blank: load them all first.
    page.evaluate(
        """() => Promise.all([...document.images].map(img => {
            img.loading = "eager";
            return img.decode().catch(() => null);
        }))"""
    )
    if element is None:
        page.screenshot(path=path, full_page=True)
    else:
        element.screenshot(path=path)
    return path
