"""nkbench: gold-annotated news on the Nagorno-Karabakh conflict, and its benchmark harness."""

__version__ = "0.1.0"
