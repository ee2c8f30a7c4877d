"""The HTTP edge to a running Label Studio (1.23.x): the few REST calls push and pull need.

Plain ``urllib`` (no SDK objects): every call goes through one ``transport`` callable, so the
push/pull logic is tested offline with a fake server. Every failure becomes an ``NkbenchError``
with a one-line reason and what to do next. The API key is held only in the Authorization
header: it never appears in a message, an exception or a log line.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from ...core.errors import Errors, NkbenchError, redact

#: transport(method, url, headers, body, timeout) -> (status, response body bytes).
#: Raises ``ConnectionError`` (server unreachable) or ``TimeoutError``.
Transport = Callable[[str, str, dict, "bytes | None", float], "tuple[int, bytes]"]

API_KEY_ENV = "LABEL_STUDIO_API_KEY"
START_HINT = "start it with `make label-studio` (see annotation/README.md)"
KEY_HINT = (f"set {API_KEY_ENV} to the token printed by `make label-studio` "
            "(or your Account & Settings page in Label Studio)")


#: The most bytes read from one answer (an export of the whole project is far smaller).
MAX_ANSWER_BYTES = 256 * 1024 * 1024
#: The most pages of 100 followed in one listing (a server that always has a next page ends here).
MAX_PAGES = 10_000
#: The title of the project a push creates and every sync command looks for (``--project-title``).
DEFAULT_TITLE = "nkbench"


class Redirect(Exception):
    """The server answered with a redirect; transports never follow one themselves (the client
    decides: same origin only, so the key is never sent elsewhere)."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(f"HTTP {status} redirect to {location}")
        self.status, self.location = status, location


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise Redirect(code, newurl)


def _urllib_once(method: str, url: str, headers: dict, body: bytes | None, timeout: float) -> tuple[int, bytes]:
    import http.client

    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read(MAX_ANSWER_BYTES + 1)
            if len(data) > MAX_ANSWER_BYTES:
                raise ConnectionError(f"the answer is larger than {MAX_ANSWER_BYTES // 2**20} MiB")
            declared = response.headers.get("Content-Length")
            if declared and declared.strip().isdigit() and len(data) < int(declared):
                raise ConnectionError(f"the answer was cut off ({len(data)} of {int(declared)} bytes)")
            return response.status, data
    except urllib.error.HTTPError as err:
        try:
            return err.code, err.read(1024 * 1024) or b""
        except (OSError, http.client.HTTPException):
            return err.code, b""
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise TimeoutError(str(reason)) from None
        raise ConnectionError(str(reason)) from None
    except http.client.IncompleteRead as err:
        raise ConnectionError(f"the answer was cut off ({len(err.partial)} bytes read)") from None
    except http.client.HTTPException as err:  # BadStatusLine, LineTooLong, ...: not an HTTP answer
        raise ConnectionError(f"not an HTTP answer ({type(err).__name__})") from None
    except (TimeoutError, OSError) as err:  # socket.timeout is TimeoutError; resets are OSError
        if isinstance(err, TimeoutError):
            raise
        raise ConnectionError(str(err)) from None


def urllib_transport(method: str, url: str, headers: dict, body: bytes | None, timeout: float) -> tuple[int, bytes]:
    """The real transport: one HTTP request with the standard library, no proxies, no redirects
    followed (``Redirect`` is raised), and an overall deadline of ``timeout`` seconds for the
    whole call (connect, headers and every read), not per read: a server that trickles its
    answer byte by byte is cut off at the deadline with ``TimeoutError``."""
    box: dict = {}

    def work():
        try:
            box["answer"] = _urllib_once(method, url, headers, body, timeout)
        except BaseException as err:  # handed to the caller's thread
            box["error"] = err

    worker = threading.Thread(target=work, name="nkbench-http", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():  # the daemon thread ends with its socket's own timeout
        raise TimeoutError(f"no complete answer within {timeout:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["answer"]


def check_key(key: str) -> str:
    """The API key, stripped; a one-line error (never showing the key) for a malformed one."""
    key = (key or "").strip()
    if not key:
        raise NkbenchError(f"{API_KEY_ENV} is not set", hint=KEY_HINT, code=Errors.E272)
    for i, ch in enumerate(key):
        if not ("!" <= ch <= "~"):
            what = {"\n": "a newline", "\r": "a carriage return", "\t": "a tab", " ": "a space"}.get(ch, f"character U+{ord(ch):04X}")
            raise NkbenchError(f"{API_KEY_ENV} is malformed: it contains {what} at position {i + 1} "
                               f"(a key is {len(key)} printable ASCII characters without spaces)",
                               hint="copy the token again, without quotes or line breaks; " + KEY_HINT, code=Errors.E273)
    return key


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _answers(what: str):
    """Turn an unexpected answer shape (a missing key, a list where an object was due, a string
    id) in a client method into an NkbenchError naming the call, instead of a traceback."""
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except NkbenchError:
                raise
            except (KeyError, IndexError, TypeError, AttributeError, ValueError, RecursionError) as err:
                detail = f"missing {err}" if isinstance(err, KeyError) else type(err).__name__
                raise NkbenchError(f"{what}: unexpected answer from Label Studio at {self.url} ({redact(detail, self._secrets())})",
                                   hint="check that --url points at Label Studio 1.23 (e.g. http://127.0.0.1:8080)", code=Errors.E274) from None
        return inner
    return wrap


def normalize_url(url: str) -> str:
    """``http://host:port`` without a trailing slash; a clear error for something that is no URL."""
    url = (url or "").strip()
    try:
        parsed = urllib.parse.urlsplit(url)
        parsed.port  # noqa: B018 -- raises ValueError for a port that is no number
    except ValueError:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise NkbenchError(f"not an http(s) URL: {redact(url)!r}", where="--url",
                           hint="give the address Label Studio prints, e.g. http://127.0.0.1:8080", code=Errors.E275)
    if "@" in parsed.netloc:
        raise NkbenchError(f"the URL carries a user name or password: {redact(url)!r}", where="--url",
                           hint="Label Studio authenticates with the API key: give --url without 'user:...@'", code=Errors.E276)
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise NkbenchError(f"the URL contains whitespace or control characters: {url!r}", where="--url",
                           hint="give the address Label Studio prints, e.g. http://127.0.0.1:8080", code=Errors.E277)
    return url.rstrip("/")


def _looks_like_jwt(key: str) -> bool:
    parts = key.split(".")
    return len(parts) == 3 and all(parts) and key.startswith("eyJ")


@dataclass(frozen=True, slots=True)
class Project:
    """A Label Studio project: its id, title and labeling config."""

    id: int
    title: str
    label_config: str


class LabelStudio:
    """A connection to one Label Studio server, authenticated with a legacy token or a
    personal access token (a JWT refresh token, exchanged once for an access token)."""

    def __init__(self, url: str, api_key: str, *, transport: Transport | None = None, timeout: float = 60.0,
                 progress: Callable[[str], None] | None = None) -> None:
        self.url = normalize_url(url)
        self._key = check_key(api_key)
        self._transport = transport or urllib_transport
        self._timeout = timeout
        self._auth: str | None = None
        self._progress = progress or (lambda message: None)

    def _secrets(self) -> list[str]:
        out = [self._key]
        if self._auth:
            out.append(self._auth.split(" ", 1)[-1])
        return out

    def __repr__(self) -> str:  # never show the key
        return f"LabelStudio({self.url!r})"

    # -- low level ------------------------------------------------------------------------------

    def _raw(self, method: str, path: str, *, params: dict | None = None, body=None,
             auth: bool = True, timeout: float | None = None) -> tuple[int, bytes]:
        url = f"{self.url}/{path.lstrip('/')}"
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = self._authorization()
        limit = timeout or self._timeout
        deadline = time.monotonic() + limit
        for _hop in range(6):
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise TimeoutError
                return self._transport(method, url, headers, data, left)
            except Redirect as hop:
                target = urllib.parse.urljoin(url, hop.location)
                if _origin(target) != _origin(self.url):
                    raise NkbenchError(f"{method} {path}: Label Studio at {self.url} redirected to another origin "
                                       f"({redact(target)}); not followed, the API key is never sent elsewhere",
                                       hint="give the server's final address as --url (check http/https, host and port)", code=Errors.E278) from None
                url = target
            except ConnectionError as err:
                raise NkbenchError(f"cannot reach Label Studio at {self.url} ({redact(err, self._secrets())})",
                                   hint=f"is it running? {START_HINT}; check --url", code=Errors.E279) from None
            except TimeoutError:
                raise NkbenchError(f"Label Studio at {self.url} did not answer {method} {path} completely within {limit:.0f} s "
                                   "(connect and every read)",
                                   hint="check --url and that the server is not overloaded", code=Errors.E280) from None
            except OSError as err:  # e.g. an invalid header value
                raise NkbenchError(f"cannot send {method} {path} to {self.url} ({type(err).__name__})",
                                   hint="check --url and the API key", code=Errors.E281) from None
        raise NkbenchError(f"{method} {path}: Label Studio at {self.url} redirected more than 5 times",
                           hint="give the server's final address as --url", code=Errors.E282)

    def request(self, method: str, path: str, *, params: dict | None = None, body=None,
                expect: tuple[int, ...] = (200, 201), what: str = "") -> object:
        """One authenticated call; the parsed JSON answer, or an NkbenchError saying what failed."""
        status, raw = self._raw(method, path, params=params, body=body)
        if status in expect:
            if not raw.strip():
                return None
            try:
                return json.loads(raw)
            except (ValueError, RecursionError):
                raise NkbenchError(f"{what or path}: the answer from {self.url} is not JSON",
                                   hint="check that --url points at Label Studio, not another web server", code=Errors.E283) from None
        raise self._http_error(status, raw, what or f"{method} {path}")

    def _http_error(self, status: int, raw: bytes, what: str) -> NkbenchError:
        if status in (401, 403):
            return NkbenchError(f"Label Studio at {self.url} rejected the API key (HTTP {status})", hint=KEY_HINT, code=Errors.E284)
        if status == 404:
            return NkbenchError(f"{what}: not found on {self.url} (HTTP 404)",
                                hint="check that --url points at Label Studio 1.23 (e.g. http://127.0.0.1:8080)", code=Errors.E285)
        detail = redact(_detail(raw), self._secrets())
        return NkbenchError(f"{what}: Label Studio answered HTTP {status}" + (f": {detail}" if detail else ""), code=Errors.E286)

    def _authorization(self) -> str:
        if self._auth is None:
            if _looks_like_jwt(self._key):  # personal access token: exchange for a short-lived access token
                status, raw = self._raw("POST", "/api/token/refresh/", body={"refresh": self._key}, auth=False)
                if status != 200:
                    raise NkbenchError(f"Label Studio at {self.url} rejected the personal access token (HTTP {status})",
                                       hint=KEY_HINT, code=Errors.E287)
                try:
                    access = json.loads(raw)["access"]
                except (ValueError, TypeError, KeyError, RecursionError):
                    access = None
                if not isinstance(access, str) or not access:
                    raise NkbenchError(f"Label Studio at {self.url} answered the token refresh without an access token",
                                       hint="check that --url points at Label Studio 1.23; " + KEY_HINT, code=Errors.E288)
                self._auth = "Bearer " + check_key(access)
            else:
                self._auth = "Token " + self._key
        return self._auth

    # -- checks ---------------------------------------------------------------------------------

    def check(self) -> None:
        """The server answers /health as Label Studio does, and accepts our key."""
        status, raw = self._raw("GET", "/health", auth=False, timeout=min(self._timeout, 15.0))
        try:
            healthy = status == 200 and json.loads(raw).get("status") == "UP"
        except (ValueError, AttributeError, RecursionError):
            healthy = False
        if not healthy:
            raise NkbenchError(f"{self.url} does not answer like Label Studio (GET /health gave HTTP {status})",
                               hint="check --url: give the address Label Studio prints, e.g. http://127.0.0.1:8080", code=Errors.E289)
        self.request("GET", "/api/current-user/whoami", what="checking the API key")

    # -- projects -------------------------------------------------------------------------------

    @_answers('listing projects')
    def projects(self) -> list[Project]:
        """Every project visible to this user (all pages)."""
        out, page = [], 1
        while True:
            answer = self.request("GET", "/api/projects/", params={"page": page, "page_size": 100},
                                  what="listing projects")
            rows = answer["results"] if isinstance(answer, dict) else answer
            out += [Project(r["id"], r.get("title") or "", r.get("label_config") or "") for r in rows]
            if not isinstance(answer, dict) or not answer.get("next"):
                return out
            page += 1
            if page > MAX_PAGES:
                raise NkbenchError(f"listing projects: Label Studio at {self.url} still has a next page after {MAX_PAGES}", code=Errors.E290)

    def find_project(self, title: str) -> Project | None:
        """The one project with exactly this title; an error if several share it."""
        found = [p for p in self.projects() if p.title == title]
        if len(found) > 1:
            ids = ", ".join(str(p.id) for p in found)
            raise NkbenchError(f"several projects are titled {title!r} (ids {ids})",
                               hint="rename the extra ones in Label Studio or pass another --project-title", code=Errors.E291)
        return found[0] if found else None

    @_answers('creating a project')
    def create_project(self, title: str, label_config: str) -> Project:
        r = self.request("POST", "/api/projects/", body={"title": title, "label_config": label_config},
                         what=f"creating project {title!r}")
        return Project(r["id"], r["title"], r["label_config"])

    @_answers('updating the labeling config')
    def set_label_config(self, project: Project, label_config: str) -> Project:
        r = self.request("PATCH", f"/api/projects/{project.id}/", body={"label_config": label_config},
                         what=f"updating the labeling config of project {project.title!r}")
        return Project(r["id"], r["title"], r["label_config"])

    # -- users ----------------------------------------------------------------------------------

    @_answers('listing users')
    def users(self) -> dict[str, int]:
        """The organization's users: email -> user id."""
        answer = self.request("GET", "/api/users/", what="listing users")
        rows = answer["results"] if isinstance(answer, dict) else answer
        return {r["email"]: r["id"] for r in rows if r.get("email")}

    @_answers('creating a user')
    def create_user(self, email: str, name: str) -> int:
        """A user (member of our organization, without a password: it cannot log in) that
        stands for one annotator in ``completed_by``; its id."""
        r = self.request("POST", "/api/users/", body={"email": email, "username": email, "first_name": name},
                         what=f"creating the user {email}")
        return r["id"]

    # -- tasks ----------------------------------------------------------------------------------

    @_answers('listing tasks')
    def tasks(self, project: Project) -> list[dict]:
        """Every task of the project with its data, annotations and predictions (all pages)."""
        out, page = [], 1
        while True:
            status, raw = self._raw("GET", "/api/tasks/", params={
                "project": project.id, "page": page, "page_size": 100, "fields": "all"})
            if status == 404 and page > 1:  # Label Studio answers 404 past the last page
                return out
            if status != 200:
                raise self._http_error(status, raw, f"listing the tasks of project {project.title!r}")
            answer = json.loads(raw)
            rows = answer.get("tasks", [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("data", {}), dict) for r in rows):
                raise NkbenchError(f"listing the tasks of project {project.title!r}: unexpected answer from Label Studio "
                                   f"at {self.url} (tasks are not a list of objects with a data object)",
                                   hint="check that --url points at Label Studio 1.23 (e.g. http://127.0.0.1:8080)", code=Errors.E292)
            out += rows
            if not rows or len(out) >= answer.get("total", 0):
                return out
            page += 1
            if page > MAX_PAGES:
                raise NkbenchError(f"listing tasks: Label Studio at {self.url} still has a next page after {MAX_PAGES}", code=Errors.E293)

    def import_tasks(self, project: Project, tasks: list[dict]) -> dict:
        return self.request("POST", f"/api/projects/{project.id}/import", body=tasks,
                            params={"return_task_ids": "true"},
                            what=f"importing {len(tasks)} task(s) into {project.title!r}")

    def add_annotation(self, task_id: int, annotation: dict) -> dict:
        return self.request("POST", f"/api/tasks/{task_id}/annotations/", body=annotation,
                            what=f"adding an annotation to task {task_id}")

    def set_ground_truth(self, annotation_id: int, value: bool) -> dict:
        """Mark (or unmark) an annotation as ground truth: the API accepts it in the Community
        edition, whose UI has no control for it."""
        return self.request("PATCH", f"/api/annotations/{annotation_id}/", body={"ground_truth": value},
                            what=f"setting ground_truth={str(value).lower()} on annotation {annotation_id}")

    def add_prediction(self, task_id: int, prediction: dict) -> dict:
        return self.request("POST", "/api/predictions/", body={"task": task_id, **prediction},
                            what=f"adding a prediction to task {task_id}")

    # -- export ---------------------------------------------------------------------------------

    @_answers('exporting the project')
    def export_full(self, project: Project, *, poll_seconds: float = 0.05, max_wait: float = 300.0) -> list:
        """The full JSON export with complete predictions (not ids), through an export snapshot.

        A plain ``/export?exportType=JSON`` lists prediction ids only; a snapshot created with
        ``serialization_options.predictions.only_id = false`` carries them in full.
        """
        what = f"exporting project {project.title!r}"
        snap = self.request("POST", f"/api/projects/{project.id}/exports/", what=what, body={
            "title": "nkbench pull",
            "serialization_options": {
                "predictions": {"only_id": False},
                "drafts": {"only_id": True},
                # the user object (id, email, names): its email names the annotator
                "annotations__completed_by": {"only_id": False},
                "include_annotation_history": False,
            },
            # every task (no task filter) and every annotation, cancelled ones included: the
            # validator reports them; the export must not hide them
            "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": True},
        })
        snap_id, started = snap["id"], time.monotonic()
        deadline, shown = started + max_wait, started
        if not isinstance(snap_id, int) or isinstance(snap_id, bool):
            raise NkbenchError(f"{what}: Label Studio answered a snapshot id that is not a number", code=Errors.E294)
        try:
            while snap.get("status") not in ("completed", "failed"):
                now = time.monotonic()
                if now > deadline:
                    raise NkbenchError(f"{what}: the export snapshot was not ready after {max_wait:.0f} s "
                                       f"(last status {str(snap.get('status'))[:40]!r})",
                                       hint="see the Label Studio log; pull again when the server is less busy", code=Errors.E295)
                if now - shown >= 5:
                    shown = now
                    self._progress(f"waiting for Label Studio's export snapshot: {now - started:.0f} s "
                                   f"of at most {max_wait:.0f} s (status {str(snap.get('status'))[:40]!r})")
                time.sleep(poll_seconds)
                poll_seconds = min(poll_seconds * 2, 1.0)
                snap = self.request("GET", f"/api/projects/{project.id}/exports/{snap_id}", what=what)
            if snap["status"] == "failed":
                raise NkbenchError(f"{what}: Label Studio reports the export snapshot failed",
                                   hint="see the Label Studio log (annotation/label-studio-data/label-studio.log)", code=Errors.E296)
            status, raw = self._raw("GET", f"/api/projects/{project.id}/exports/{snap_id}/download",
                                    params={"exportType": "JSON"})
            if status != 200:
                raise self._http_error(status, raw, what)
        finally:  # snapshots are files on the server: do not leave one behind per pull
            try:
                self._raw("DELETE", f"/api/projects/{project.id}/exports/{snap_id}")
            except NkbenchError:
                pass
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise NkbenchError(f"{what}: the export is not JSON (or nested too deeply)", code=Errors.E297) from None
        if not isinstance(data, list):
            raise NkbenchError(f"{what}: expected a JSON list of tasks, got {type(data).__name__}", code=Errors.E298)
        return data


def _detail(raw: bytes, limit: int = 300) -> str:
    """A short readable detail from an error body (Label Studio sends JSON with detail/validation_errors)."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (an HTML page, plain text): its first words
        text = re.sub(r"<[^>]*>", " ", raw[:4096].decode("utf-8", "replace"))
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("detail", "validation_errors") if body.get(k)]
        text = "; ".join(parts) if parts else json.dumps(body, ensure_ascii=False)
    else:
        text = json.dumps(body, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
