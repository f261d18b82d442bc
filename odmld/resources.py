"""Where the bundled RDF and SPARQL files are, in a checkout and in an installed package alike.

The folders `data/`, `ontology/`, `shapes/` and `queries/` sit at the top of the repository. A checkout
(or an editable install) reads them there; a built wheel carries them as the packages `odmld.data`,
`odmld.ontology`, ... (see pyproject.toml), installed as folders inside the package.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_FOLDERS = ("data", "ontology", "shapes")


def folder(name: str) -> Path:
    """The on-disk path of a bundled folder: data, ontology, shapes or queries."""
    if name not in (*BUNDLED_FOLDERS, "queries"):
        raise ValueError(f"no bundled folder called {name!r}")
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return package / name


def default_load_paths() -> list[Path]:
    """What `odmld load` loads when given no path: the model data, the ontology and the shapes."""
    return [folder(name) for name in BUNDLED_FOLDERS]


def model_paths() -> list[Path]:
    """The files that make up the published model, without the examples meant for submission."""
    return [folder("ontology"), folder("data")]
