"""An in-memory stand-in for the Label Studio 1.23 REST endpoints that push/pull use.

It answers through the same ``transport(method, url, headers, body, timeout)`` callable as the
real HTTP layer, records every call, and shapes its answers like the real server does (checked
against a running 1.23.2: task listing with ``tasks``/``total``, export snapshots, 401 on a bad
token, 404 past the last task page, import resolving ``completed_by`` {"email"} to a member and
refusing an unknown email, the annotation endpoint taking a user id, the export expanding
``completed_by`` to {id, email, first_name, last_name} unless ``only_id``).
"""

from __future__ import annotations

import json
import urllib.parse


class FakeLabelStudio:
    def __init__(self, token: str = "secret-token-123", *, fail: dict | None = None) -> None:
        self.token = token
        self.projects: dict[int, dict] = {}
        self.tasks: dict[int, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.export_requests: list[dict] = []
        self.users: dict[int, dict] = {1: {"id": 1, "email": "annotator@nkbench.local", "first_name": "", "last_name": ""}}
        self.fail = dict(fail or {})  # (method, path prefix) -> status to answer instead
        self._ids = {"project": 0, "task": 0, "annotation": 0, "prediction": 0, "export": 0, "user": 1}

    def _next(self, kind: str) -> int:
        self._ids[kind] += 1
        return self._ids[kind]

    # the transport ---------------------------------------------------------------------------------

    def __call__(self, method, url, headers, body, timeout):
        parts = urllib.parse.urlsplit(url)
        path, query = parts.path, dict(urllib.parse.parse_qsl(parts.query))
        self.calls.append((method, path))
        for (m, prefix), status in self.fail.items():
            if m == method and path.startswith(prefix):
                return status, b'{"detail": "injected failure"}'
        if path == "/health":
            return 200, b'{"status": "UP"}'
        if headers.get("Authorization") != f"Token {self.token}":
            return 401, b'{"detail": "Invalid token."}'
        data = json.loads(body) if body else None
        status, answer = self.route(method, path.rstrip("/").split("/")[1:], query, data)
        return status, json.dumps(answer).encode()

    def mutations(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[0] in ("POST", "PATCH", "DELETE") and "/exports" not in c[1]]

    # routes ----------------------------------------------------------------------------------------

    def route(self, method, seg, query, data):
        if seg == ["api", "current-user", "whoami"]:
            return 200, self.users[1]
        if seg == ["api", "users"] and method == "GET":
            return 200, list(self.users.values())
        if seg == ["api", "users"] and method == "POST":
            if any(u["email"] == data["email"] for u in self.users.values()):
                return 400, {"validation_errors": {"email": ["user with this email already exists."]}}
            uid = self._next("user")
            self.users[uid] = {"id": uid, "email": data["email"], "first_name": data.get("first_name", ""), "last_name": ""}
            return 201, self.users[uid]
        if seg == ["api", "projects"] and method == "GET":
            return 200, {"count": len(self.projects), "next": None, "previous": None,
                         "results": list(self.projects.values())}
        if seg == ["api", "projects"] and method == "POST":
            pid = self._next("project")
            self.projects[pid] = {"id": pid, "title": data["title"], "label_config": data["label_config"]}
            return 201, self.projects[pid]
        if seg[:2] == ["api", "projects"] and len(seg) == 3 and method == "PATCH":
            self.projects[int(seg[2])].update(data)
            return 200, self.projects[int(seg[2])]
        if seg[:2] == ["api", "projects"] and seg[3:] == ["import"]:
            emails = {u["email"] for u in self.users.values()}
            for t in data:
                for a in t.get("annotations", []):
                    who = a.get("completed_by")
                    if isinstance(who, dict) and who.get("email") not in emails:
                        return 400, {"detail": "Validation error", "validation_errors": [f"Unknown annotator's email {who.get('email')}"]}
                    if who is not None and not isinstance(who, dict):
                        return 400, {"validation_errors": [f"Import data contains completed_by={who} which is not a valid annotator's email or ID"]}
            ids = [self._add_task(int(seg[2]), t) for t in data]
            return 201, {"task_count": len(ids), "task_ids": ids}
        if seg[:2] == ["api", "projects"] and seg[3:4] == ["exports"]:
            return self._export(method, int(seg[2]), seg[4:], data)
        if seg == ["api", "tasks"] and method == "GET":
            rows = [t for t in self.tasks.values() if t["project"] == int(query["project"])]
            page, size = int(query.get("page", 1)), int(query.get("page_size", 100))
            chunk = rows[(page - 1) * size: page * size]
            if page > 1 and not chunk:
                return 404, {"detail": "Invalid page."}
            return 200, {"tasks": chunk, "total": len(rows)}
        if seg[:2] == ["api", "tasks"] and seg[3:] == ["annotations"] and method == "POST":
            task = self.tasks[int(seg[2])]
            if "completed_by" in data and data["completed_by"] not in self.users:
                return 400, {"validation_errors": {"completed_by": [f'Invalid pk "{data["completed_by"]}" - object does not exist.']}}
            ann = self._annotation(task, data)
            task["annotations"].append(ann)
            return 201, ann
        if seg == ["api", "predictions"] and method == "POST":
            task = self.tasks[data["task"]]
            pred = self._prediction(task, data)
            task["predictions"].append(pred)
            return 201, pred
        return 404, {"detail": "Not found."}

    def _add_task(self, project: int, t: dict) -> int:
        tid = self._next("task")
        task = {"id": tid, "project": project, "data": t["data"], "annotations": [], "predictions": []}
        task["annotations"] = [self._annotation(task, a) for a in t.get("annotations", [])]
        task["predictions"] = [self._prediction(task, p) for p in t.get("predictions", [])]
        self.tasks[tid] = task
        return tid

    def _annotation(self, task, a):
        who = a.get("completed_by")
        if isinstance(who, dict):  # import: by email
            who = next(u["id"] for u in self.users.values() if u["email"] == who["email"])
        return {"id": self._next("annotation"), "completed_by": who if who is not None else 1, "result": a["result"],
                "was_cancelled": a.get("was_cancelled", False), "ground_truth": a.get("ground_truth", False),
                "lead_time": a.get("lead_time"), "task": task["id"], "created_at": "2025-01-01T00:00:00Z"}

    def _prediction(self, task, p):
        return {"id": self._next("prediction"), "result": p["result"], "model_version": p.get("model_version", ""),
                "score": p.get("score"), "task": task["id"]}

    def _export(self, method, project, rest, data):
        if method == "POST" and not rest:
            eid = self._next("export")
            self.export_requests.append(data)
            return 201, {"id": eid, "status": "created"}
        if method == "GET" and len(rest) == 1:
            return 200, {"id": int(rest[0]), "status": "completed"}
        if method == "GET" and rest[1:] == ["download"]:
            only_id = self.export_requests[-1]["serialization_options"]["annotations__completed_by"].get("only_id")
            return 200, [{**t, "annotations": [a if only_id else {**a, "completed_by": self.users[a["completed_by"]]}
                                               for a in t["annotations"]], "predictions": t["predictions"]}
                         for t in self.tasks.values() if t["project"] == project]
        if method == "DELETE":
            return 204, None
        return 404, {"detail": "Not found."}
