"""Label Studio edge: the labeling config (generated from ``nkbench.core.schema``), conversion of
documents to and from Label Studio tasks/exports, strict export validation and guideline checks.

Label Studio uses Python code-point offsets with an exclusive end, like the rest of nkbench, so
no offset arithmetic happens here: only the shape of the data changes, in ``convert``.
"""
