"""The review domain imports only the standard library and ``holidays`` (issue 3).

Two independent proofs: what importing the package actually loads, and what its source says.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "bot" / "review"
FORBIDDEN = ("botbuilder", "aiohttp", "msgraph", "azure", "kiota", "tinydb")


def test_importing_the_domain_loads_no_framework_module() -> None:
    code = (
        "import sys, bot.review; "
        f"print('\\n'.join(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PACKAGE.parents[1], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_every_import_is_stdlib_holidays_or_the_package_itself(path: Path) -> None:
    allowed = set(sys.stdlib_module_names) | {"holidays", "__future__"}
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
