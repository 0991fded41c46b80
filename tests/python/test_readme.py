"""Every Python example of the README runs, and passes mypy --strict."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_readme_has_its_python_examples() -> None:
    blocks = examples()
    assert len(blocks) == 2
    assert any("CertificateUpdate" in b for b in blocks)


@pytest.mark.parametrize("index", range(2))
def test_each_readme_example_runs_and_type_checks(index: int, tmp_path: pathlib.Path) -> None:
    script = tmp_path / f"example_{index}.py"
    script.write_text(examples()[index], encoding="utf-8")
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip()
    typed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
    )
    assert typed.returncode == 0, typed.stdout
