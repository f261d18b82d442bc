"""The one place that spells out odmld's vocabulary (issue 20): the namespaces and datatypes
(`namespaces`), the literal makers (`literals`), and one function per URI pattern of
docs/modelling.md (`model`, `published`, `served`, `parts`). No other module builds an IRI under the base.

    from odmld import vocab
    vocab.domain(base, 4)                      # <{base}id/maturiteitsdomein/4>
"""

from .literals import boolean, date, date_time, decimal, integer
from .model import *  # noqa: F403
from .parts import *  # noqa: F403
from .namespaces import (RDF, RDF_TYPE, XSD, XSD_BOOLEAN, XSD_DATE, XSD_DATE_TIME, XSD_DECIMAL, XSD_INTEGER,
                         XSD_STRING)
from .published import *  # noqa: F403
from .served import *  # noqa: F403
