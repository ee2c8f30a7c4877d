"""Annotation: from verbatim seeds to the adjudicated gold.

``seeds`` (the verbatim articles and their manifest), ``passes`` (annotation passes),
``labelstudio`` (the Label Studio edge: config, tasks, conversion, export validation, sync),
``guidelines`` (the guideline checks of any gold), ``agreement`` (between two passes),
``adjudication`` (the adjudication record), ``gold`` (loading the gold and its passes) and
``golddiff`` (what changed between two gold versions).
"""
