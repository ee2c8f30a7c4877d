"""Label Studio edge: the labeling config (``config``, generated from ``nkbench.core.schema``), tasks
(``tasks``), conversion of documents to and from Label Studio regions (``convert``), strict export
validation (``validate``), the round-trip check of an export (``roundtrip``), the HTTP client
(``client``) and push/pull (``sync``). The guideline checks of any gold are ``annotation.guidelines``.

Label Studio uses Python code-point offsets with an exclusive end, like the rest of nkbench, so
no offset arithmetic happens here: only the shape of the data changes, in ``convert``.
"""
