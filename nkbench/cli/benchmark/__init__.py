"""Commands of the benchmark stage: ``run``, ``benchmark``, ``score``, ``compare``, ``errors``, ``convert``."""
