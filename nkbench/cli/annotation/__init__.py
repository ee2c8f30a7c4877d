"""Commands of the annotation stage: ``nkbench seeds`` and ``nkbench annotate ...``."""
