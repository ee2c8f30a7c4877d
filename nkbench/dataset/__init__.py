"""The Hugging Face dataset in ``data/``: declared features, rows, card, stats, build and push.

``features`` declares one ``datasets.Features`` per config; ``rows`` turns Documents into rows of
those configs (and back); ``card`` writes ``data/README.md`` from the same Features; ``stats``
counts; ``build`` writes and checks ``data/``; ``push`` uploads it. ``datasets`` is imported only
inside functions.
"""
