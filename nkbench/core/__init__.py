"""Core: what every stage shares.

``schema`` (label inventories), ``model`` (the one data model: Documents and their layers, their
JSON form and checks), ``errors`` (NkbenchError, the only exception the CLI turns into a message),
``io`` (atomic writes, JSON/JSON Lines readers), ``validity`` (structural checks of a document),
``bio`` (sentences, tokens and BIO tags) and ``project`` (the workspace: ``nkbench.toml``).
"""
