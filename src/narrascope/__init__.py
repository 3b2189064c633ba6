"""Narrascope: map the information space of conflict news.

Reads news and opinion articles and extracts, with character offsets into the clean text: actors and
their mentions, quotes with speaker, venue, date and sourcing, claims and hedging, propaganda narratives,
entity framing roles and persuasion techniques. See ``narrascope.model`` for the data model and
``narrascope.pipeline`` for how components are chained.
"""

__version__ = "0.1.0"
