"""Results of the catalogue against every official shape set, counted (a report, never pass/fail).

Builds a store in a temporary folder (the bundled model; two dates for each of three organisations, one
version withdrawn), serves it with the real Flask app, and validates the whole catalogue and every page
with pySHACL against the shape sets of ../shared/standards/:

    .venv/bin/python bench/catalogue_shapes.py [--details]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from backends import BASE_URI, model_loaded  # noqa: E402
from shape_sets import PUBLISHERS, SHAPE_SETS, catalogue_documents, results  # noqa: E402

from odmld import tokens  # noqa: E402
from odmld.config import load_config  # noqa: E402
from odmld.web import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="print each distinct result")
    parser.add_argument("--page-size", type=int, default=5)
    parser.add_argument("--strict", action="store_true",
                        help="count results that only a faulty shape causes too (docs/standards.md)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "store")
        config = load_config({"store": path, "base_uri": BASE_URI, "page_size": args.page_size}, environ={})
        app = create_app(config, store=model_loaded(path))
        tokens_of = {org: tokens.create(Path(app.config["ODMLD"].tokens), org)[1] for org in PUBLISHERS}
        try:
            documents = catalogue_documents(app.test_client(), tokens_of)
        finally:
            app.extensions["odmld.pool"].close()
    print(f"{len(documents)} documents: {', '.join(documents)}")
    for name in SHAPE_SETS:
        for severity in ("Violation", "Warning"):
            found: Counter = Counter()
            for graph in documents.values():
                for line in results(graph, name, severity, excuse_faults=not args.strict):
                    # the distinct problem: the path and the message, without the focus node
                    focus, path, _value, message = line.split(" | ", 3)
                    found[f"{path} | {message.replace(focus, '<focus>')}"] += 1
            print(f"{name:45} {severity:9} {sum(found.values())}")
            if args.details:
                for problem, count in found.most_common():
                    print(f"    {count:4} {problem}")


if __name__ == "__main__":
    main()
