"""Where the pinned audit engines and the system browser live, and how to launch it."""

from __future__ import annotations

import json
import os
import shutil
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
NODE_MODULES = HERE / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
JS_DIR = HERE / "js"
#: `portal audit` writes its report elsewhere
REPORT_DIR = Path(os.environ.get("PORTAL_AUDIT_REPORT_DIR") or REPO / "build" / "jis-report")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--font-render-hinting=none",
)
INSTALL_HINT = (
    "install the audit engines with `npm ci --prefix accessibility_tests --ignore-scripts` "
    "and Debian's browser with `apt-get install chromium chromium-driver default-jre-headless "
    "fonts-noto-cjk fonts-noto-core`"
)


class ToolMissing(RuntimeError):
    """A pinned engine or the system browser is not installed."""


def require(path: Path) -> Path:
    """Return `path`, or raise ToolMissing saying how to install it."""
    if not path.exists():
        raise ToolMissing(f"{path} is missing: {INSTALL_HINT}")
    return path


def require_java() -> str:
    """Return the java executable, or raise ToolMissing."""
    java = shutil.which("java")
    if java is None:
        raise ToolMissing(f"java is missing (the Nu HTML Checker needs it): {INSTALL_HINT}")
    return java


@cache
def engine_version(package: str) -> str:
    """Return the installed version of an npm-pinned engine."""
    manifest = require(NODE_MODULES / package / "package.json")
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


@cache
def script(name: str) -> str:
    """Return the text of one of the audit's browser scripts in js/."""
    return (JS_DIR / name).read_text(encoding="utf-8")
