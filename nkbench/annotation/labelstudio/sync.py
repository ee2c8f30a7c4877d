"""Push tasks to and pull the full export from a running Label Studio, idempotently: the entry
points, one module per job (planning is separate from the calls, so the rules are tested without a server):

- ``config_check``: our labeling config, read and compared with a project's (canonical XML);
- ``incoming``: tasks files normalised to the import form, checked against the seeds
  (``validity.seed_problems``), predictions attached;
- ``plan``: what a push will do (``plan_push``, pure): tasks matched by ``data.doc_id``, an
  annotated task never touched;
- ``push``: the project, the annotator users (``validate.annotator_email``) and the planned imports;
- ``summary``: an export's contents by content and annotator, and the difference of two exports;
- ``pull``: the full export, validated with the converter (``validate.export_status``) and
  written atomically, the adjudicated gold export protected;
- ``groundtruth``: the adjudicator's annotation marked as ground truth through the API.

Tasks and pre-annotations are made by ``tasks.seed_tasks`` / ``tasks.gold_tasks`` (the one
converter from documents to Label Studio results); these modules only move them.
"""

from __future__ import annotations

from .client import DEFAULT_TITLE
from .config_check import canonical_config, read_label_config, same_config
from .groundtruth import GroundTruthPlan, ground_truth, plan_ground_truth
from .incoming import ANNOTATION_KEYS, PREDICTION_KEYS, attach_predictions, check_against_seeds, normalize_tasks, read_tasks_file
from .plan import PushPlan, plan_push
from .pull import PullReport, pull, validate_export
from .push import PushReport, annotator_users, config_mismatch, push
from .summary import counts, diff_summary, export_summary

__all__ = ["ANNOTATION_KEYS", "DEFAULT_TITLE", "PREDICTION_KEYS", "GroundTruthPlan", "PullReport", "PushPlan", "PushReport",
           "annotator_users", "attach_predictions", "canonical_config", "check_against_seeds", "config_mismatch",
           "counts", "diff_summary", "export_summary", "ground_truth", "normalize_tasks", "plan_ground_truth",
           "plan_push", "pull", "push", "read_label_config", "read_tasks_file", "same_config", "validate_export"]
