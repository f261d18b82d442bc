"""The code keeps one place per concept: the namespaces every module needs are spelled out once, in
odmld/vocab/namespaces.py, and the others import them (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "odmld"


@pytest.mark.parametrize("spelling", ['"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"',
                                      '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
                                      '"http://www.w3.org/2001/XMLSchema#"'])
def test_a_namespace_every_module_needs_is_spelled_out_in_vocab_only(spelling):
    spelt = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                   if spelling in path.read_text(encoding="utf-8"))
    assert spelt in ([], ["vocab/namespaces.py"]), spelt
