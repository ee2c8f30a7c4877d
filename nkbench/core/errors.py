"""The one exception type that carries a user-facing message and where the problem is, and the
catalogue of its kinds (``Errors``: every error nkbench raises has a code, as spaCy's ``Errors.E001``).

A code names the kind of a problem (``err.code``, e.g. ``E101``); the message (``str(err)``) does
not show it and does not change with it. Code decides what a problem is (``scoring.predictions``
keeps unknown labels as spurious by their codes), never the message text; ``sort_key`` orders
problems by code and location. Codes by stage: E0xx core (files, documents, structure), E2xx-E3xx
annotation (seeds, passes, gold, Label Studio), E4xx dataset, E5xx-E7xx benchmark (scoring,
systems, converters), E8xx the command line. Each raise site has its own code
(``tests/test_errors_catalogue.py`` checks that every one is in the catalogue, once).
"""

from __future__ import annotations

import os
import re


class Code(str):
    """An error code (``"E101"``) that carries the description of its kind."""

    description: str

    def __new__(cls, code: str, description: str = "") -> Code:
        out = super().__new__(cls, code)
        out.description = description
        return out


class _Catalogue(type):
    """Makes every ``E###`` attribute of the class body a ``Code`` carrying its description."""

    def __new__(mcs, name, bases, ns):
        ns = {k: Code(k, v) if re.fullmatch(r"E\d{3}", k) else v for k, v in ns.items()}
        return super().__new__(mcs, name, bases, ns)

    def __iter__(cls):
        return iter(v for k, v in vars(cls).items() if isinstance(v, Code))


class NkbenchError(Exception):
    """Bad input or a failed check. The CLI prints ``str(err)`` and exits non-zero.

    ``where`` names the file, line, document, span or field; ``hint`` says what to do next;
    ``code`` is its kind in the catalogue (``Errors``; a subclass may fix one for all its errors).
    """

    code: Code | None = None

    def __init__(self, reason: str, where: str = "", hint: str = "", code: Code | None = None) -> None:
        self.reason = reason
        self.where = where
        self.hint = hint
        if code is not None:
            self.code = code
        super().__init__(str(self))

    def at(self, where: str) -> NkbenchError:
        """The same problem (reason, hint, code) placed inside ``where`` (``where: its where``)."""
        return NkbenchError(self.reason, where=f"{where}: {self.where}" if self.where else where, hint=self.hint,
                            code=self.code)

    def sort_key(self) -> tuple[str, str]:
        """Problems sort by code, then location: never by their message text."""
        return (self.code or "", self.where)

    def __str__(self) -> str:
        text = f"{self.where}: {self.reason}" if self.where else self.reason
        return f"{text}; {self.hint}" if self.hint else text


class Errors(metaclass=_Catalogue):
    """The catalogue: every kind of error nkbench raises, by code (the message template it has
    where it is raised; ``Errors.E101.description``)."""

    E001 = "is a symlink to {target}, which does not exist"
    E002 = "cannot inspect the output ({err.strerror or err})"
    E003 = "is a folder, expected a file to write"
    E004 = "is {kind}; outputs are written only to regular files"
    E005 = "{what} {out} is the input {inp}; it would be overwritten"
    E006 = "{what} {out} is inside the input folder {inp}; it would change that input"
    E007 = "cannot write ({reason}); nothing was written"
    E008 = "cannot write ({reason}); none of the {len(items)} output file(s) was written"
    E009 = "no such file"
    E010 = "is a directory, expected a file"
    E011 = "cannot read ({err.strerror or err})"
    E012 = "standard input is empty"
    E013 = "larger than {MAX_FILE_BYTES // 2 ** 20} MiB, the most read at once"
    E014 = "not UTF-8 (byte 0x{raw[err.start]} at byte offset {err.start})"
    E015 = "malformed JSON: {err.msg} (column {err.colno})"
    E016 = "JSON nested too deeply to read"
    E017 = "unreadable JSON value ({err})"
    E018 = "line longer than {MAX_LINE_BYTES // 2 ** 20} MiB (the most one document may take)"
    E019 = "standard input is empty, expected one JSON object per line"
    E020 = "empty file, expected one JSON object per line"
    E021 = "not UTF-8 (byte 0x{raw[err.start]} at byte offset {offset + err.start})"
    E022 = "malformed JSON: {err.msg} (column {err.colno})"
    E023 = "JSON nested too deeply to read"
    E024 = "unreadable JSON value ({err})"
    E025 = "document {doc_id} given twice (first on line {first_line})"
    E026 = "document without an id"
    E027 = "a document's JSON form: a missing field, a field of the wrong type, an unknown field"
    E028 = "expected a JSON object, got {type(obj).__name__}"
    E029 = "document structure: offsets, span texts, ids, references, parent loops (model.check_document)"
    E030 = "duplicate span: {what}"
    E031 = "unknown doc_id {doc_id}"
    E032 = "text differs from its seed (got {type(text).__name__})"
    E033 = "text differs from its seed: {where_first}"
    E034 = "language {language} differs from the seed's {seed.language}"
    E035 = "expected a JSON object keyed by id, got {_kind(obj)}"
    E036 = "the record of {key} is {_kind(record)}, not an object"
    E037 = "span [{s}:{e}] {label} does not start and end on token boundaries"
    E038 = "span [{s}:{e}] {label} overlaps another span; BIO cannot hold nested spans"
    E039 = "{len(tokens)} tokens but {len(tags)} tags"
    E040 = "{len(tokens)} tokens but {len(tags)} tags"
    E041 = "cannot read the project settings: {err}"
    E042 = "[project] must be a table"
    E043 = "gold_annotator must be a non-empty string, got {value}"
    E044 = "cannot set {key}: {err}"
    E045 = "cannot set {key} in the [project] table"
    E046 = "unknown generated block {name}"
    E090 = "an unknown label: entity/event type, role, stance, polarity, realis, hedge, counted (model.check_document)"
    E091 = "no nkbench project here or above, or the one named is not a project (project.NoProject)"
    E092 = "a token that is not the text at its place (bio.TokenMismatch)"
    E201 = "no such file (no seed manifest)"
    E202 = "expected a JSON list of records"
    E203 = "seed file is missing"
    E204 = "seed no longer matches its hash (sha256 {digest}, manifest {rec['sha256']})"
    E205 = "not UTF-8 ({err.reason} at byte {err.start})"
    E206 = "length {len(text)} != manifest {rec['length']}"
    E207 = "seed file is not in the manifest"
    E208 = "unsupported language {language}"
    E209 = "date {date} is not YYYY-MM-DD"
    E210 = "a date needs its basis"
    E211 = "--date-basis/--date-note without --date"
    E212 = "{len(stray)} .txt file(s) but no manifest.json (first: {stray[0].name})"
    E213 = "not a regular file (a FIFO, socket or device)"
    E214 = "is a folder, not a text file"
    E215 = "cannot read it: {err.strerror}"
    E216 = "not UTF-8 ({err.reason} at byte {err.start})"
    E217 = "empty (no text)"
    E218 = "starts with a byte order mark"
    E219 = "same text as seed {existing[digest]}"
    E220 = "reads as {detected}, not {language}"
    E221 = "a file with the new id already exists"
    E222 = "expected an object, got {type(rec).__name__}"
    E223 = "missing field {key}"
    E224 = "unknown field {key}"
    E225 = "{key}: expected {names}, got {type(value).__name__}"
    E226 = "id {sid[:40]} is not a file stem (letters, digits, '_', '-', '.')"
    E227 = "id {sid} also in record {seen[sid]}"
    E228 = "sha256 is not 64 lowercase hex digits"
    E229 = "length is negative"
    E230 = "unsupported language {rec['language']}"
    E231 = "date_basis {rec['date_basis']}"
    E232 = "expected a JSON object"
    E233 = "unknown field"
    E234 = "expected an object {id: {type, name, aliases}}, got {type(obj['new_entities']).__name__}"
    E235 = "expected a string, got {type(obj['annotator']).__name__}"
    E236 = "expected a list, got {type(obj[layer]).__name__}"
    E237 = "expected an object"
    E238 = "quote must be a string, got {type(quote).__name__}"
    E239 = "quote {quote} not found in the text"
    E240 = "occurrence {occurrence} of {quote}: the text has {len(found)}"
    E241 = "start/end {item.get('start')}/{item.get('end')} disagree with quote occurrence at {start}"
    E242 = "no pass files (<doc_id>.json)"
    E243 = "'document' is {doc_id} but the file is named for {path.stem}"
    E244 = "unknown document id {doc_id}"
    E245 = "several annotators in one folder: {sorted(map(str, annotators))}"
    E246 = "no gold export"
    E247 = "no gold given, and not inside an nkbench project (no {MARKER} here or above)"
    E248 = "no such file or folder, and not a Hub dataset id (ORG/NAME)"
    E249 = "not a regular file or folder"
    E250 = "cannot read ({err.strerror})"
    E251 = "a Parquet file, not a gold source on its own"
    E252 = "empty file"
    E253 = "{what}: neither a Label Studio export nor JSON Lines of documents"
    E254 = "neither JSON nor JSON Lines (starts with {body[:20]})"
    E255 = "one JSON object over several lines: neither a Label Studio export (a list of tasks) nor JSON Line..."
    E256 = "the 'documents' config is not nkbench's: {diff}"
    E257 = "row does not decode ({type(err).__name__}: {err})"
    E258 = "document {doc.id} given twice"
    E259 = "the 'documents' config has no rows"
    E260 = "the 'documents' config has no {SPLIT} split (splits: {', '.join(dsd) or 'none'})"
    E261 = "cannot list the folder ({err.strerror})"
    E262 = "an empty folder, not a Hugging Face dataset"
    E263 = "no dataset card ({CARD}), so not a Hugging Face dataset folder{inside}"
    E264 = "the dataset has no 'documents' config (configs: {', '.join(map(str, names)) or 'none'})"
    E265 = "datasets.load_dataset cannot load its 'documents' config ({_first_line(err)})"
    E266 = "not a local file or folder, and the Hugging Face Hub dataset {repo_id} could not be loaded ({_fir..."
    E267 = "the passes cover different documents: {sorted(set(a_by) ^ set(b_by))}"
    E268 = "agreement needs exactly two passes, found {len(passes)}: {', '.join(passes) or 'none'}"
    E269 = "the passes and the gold cover different documents (gold without two passes: {', '.join(missing) o..."
    E270 = "reasons for items that are not in the record: {stale}"
    E271 = "a guideline problem of a gold document (whitespace, flat entities, canonical ids, hedges, links)"
    E272 = "{API_KEY_ENV} is not set"
    E273 = "{API_KEY_ENV} is malformed: it contains {what} at position {i + 1} (a key is {len(key)} printable..."
    E274 = "{what}: unexpected answer from Label Studio at {self.url} ({redact(detail, self._secrets())})"
    E275 = "not an http(s) URL: {redact(url)}"
    E276 = "the URL carries a user name or password: {redact(url)}"
    E277 = "the URL contains whitespace or control characters: {url}"
    E278 = "{method} {path}: Label Studio at {self.url} redirected to another origin ({redact(target)}); not ..."
    E279 = "cannot reach Label Studio at {self.url} ({redact(err, self._secrets())})"
    E280 = "Label Studio at {self.url} did not answer {method} {path} completely within {limit} s (connect an..."
    E281 = "cannot send {method} {path} to {self.url} ({type(err).__name__})"
    E282 = "{method} {path}: Label Studio at {self.url} redirected more than 5 times"
    E283 = "{what or path}: the answer from {self.url} is not JSON"
    E284 = "Label Studio at {self.url} rejected the API key (HTTP {status})"
    E285 = "{what}: not found on {self.url} (HTTP 404)"
    E286 = "{what}: Label Studio answered HTTP {status}{...}"
    E287 = "Label Studio at {self.url} rejected the personal access token (HTTP {status})"
    E288 = "Label Studio at {self.url} answered the token refresh without an access token"
    E289 = "{self.url} does not answer like Label Studio (GET /health gave HTTP {status})"
    E290 = "listing projects: Label Studio at {self.url} still has a next page after {MAX_PAGES}"
    E291 = "several projects are titled {title} (ids {ids})"
    E292 = "listing the tasks of project {project.title}: unexpected answer from Label Studio at {self.url} (..."
    E293 = "listing tasks: Label Studio at {self.url} still has a next page after {MAX_PAGES}"
    E294 = "{what}: Label Studio answered a snapshot id that is not a number"
    E295 = "{what}: the export snapshot was not ready after {max_wait} s (last status {str(snap.get('status')..."
    E296 = "{what}: Label Studio reports the export snapshot failed"
    E297 = "{what}: the export is not JSON (or nested too deeply)"
    E298 = "{what}: expected a JSON list of tasks, got {type(data).__name__}"
    E299 = "a Label Studio region or relation that does not convert (labels, offsets, attributes, relations)"
    E300 = "no labeling config"
    E301 = "not well-formed XML ({err})"
    E302 = "completed_by {who} is a user id of the server that made the file"
    E303 = "expected a JSON list of tasks, got {type(raw).__name__}"
    E304 = "a task must be an object with a 'data' object"
    E305 = "data.doc_id is missing"
    E306 = "data.text is missing or not a string"
    E307 = "doc_id repeats task {seen[doc_id]}"
    E308 = "{key}[{bad[0]}] has no 'result' list"
    E309 = "predictions for unknown document(s): {', '.join(unknown)}"
    E310 = "document {doc_id} is on the server twice (tasks {by_doc[doc_id]['id']} and {task['id']})"
    E311 = "the server's task {there['id']} has a different text for this document"
    E312 = "project {project.title} (id {project.id}) on {client.url} has a different labeling config than ours"
    E313 = "no project titled {title} on {client.url}"
    E314 = "the export from {client.url} has an unexpected shape ({type(err).__name__}: {str(err)[:80]}); not..."
    E315 = "not written: the export ({summary}) does not pass validation: {invalid}"
    E316 = "not written: the gold export needs gold for every task ({status.verdict()})"
    E317 = "refusing to overwrite the adjudicated gold export ({diff})"
    E318 = "written ({summary}), but it does not pass validation: {invalid}"
    E319 = "{email} has {len(mine)} annotations in task {task['id']} ({doc_id})"
    E320 = "no project titled {title} on {client.url}"
    E321 = "no user {email} on {client.url}"
    E322 = "document {doc.id} predicted twice"
    E323 = "pass name {gold_annotator} is also the gold annotator's name"
    E324 = "document {dup} appears twice"
    E325 = "document {d.id} is not in the gold file"
    E326 = "document {d.id} appears twice"
    E327 = "annotator name {name} cannot be a Label Studio user"
    E328 = "a task or annotation of a Label Studio export that does not convert (shape, annotator, gold choice)"
    E329 = "expected a JSON list of tasks, got {type(tasks).__name__}"
    E330 = "the export has no tasks"
    E331 = "unknown split {split} (seeds add --split)"
    E332 = "split {rec['split']} (a manifest record's split is not test or dev)"
    E333 = "unknown split {split} (the gold of a split)"
    E334 = "no {split} article in the passes"
    E401 = "--pass {spec}: empty annotator name"
    E402 = "--pass {spec}: neither NAME=FILE.jsonl nor a pass folder"
    E403 = "no such file"
    E404 = "document appears twice"
    E405 = "no gold document at all"
    E406 = "expected {type, name, aliases}"
    E407 = "unknown type {rec.get('type')}"
    E408 = "{bad[0]} must be a list of strings, got {type(got).__name__} {str(got)[:40]}"
    E409 = "note must be a string"
    E410 = "unknown field(s) {', '.join(sorted(set(rec) - ENTITY_FIELDS))}"
    E411 = "entity id {m.entity_id} is not in the entity inventory"
    E412 = "counted must be one of {', '.join(schema.COUNTED)}"
    E413 = "documents must be a list of document ids, got {type(rec.get('documents')).__name__}"
    E414 = "description must be a string"
    E415 = "link {c.link} is not in the link inventory"
    E416 = "link {c.link} does not list this document"
    E417 = "cannot write the dataset ({err.strerror or err}); {shown} is as it was"
    E418 = "annotator {name} given twice"
    E419 = "has no YAML header, so it is not a dataset card nkbench wrote"
    E420 = "its YAML header does not parse ({type(err).__name__})"
    E421 = "its YAML header is not a mapping"
    E422 = "\"no such folder\" if not data_dir.exists() else \"is not a folder\""
    E423 = "no dataset card (README.md as a regular file)"
    E424 = "not a dataset nkbench built (its card's pretty_name is not nkbench's)"
    E425 = "the card's YAML has no configs list"
    E426 = "configs[{i}] is not one of nkbench's configs ({name})"
    E427 = "config {name} names the data file {rel}, not {name}/{feats.SPLIT}.parquet"
    E428 = "config {name}: its data file is missing, a symlink or not a regular file"
    E429 = "config {name} is listed twice"
    E430 = "is a symlink; the dataset folder is replaced as a whole, so give the real folder"
    E431 = "is {kind}, not a folder; it is left as it is"
    E432 = "is not empty and holds files a dataset build does not make ({shown}); nothing was replaced"
    E433 = "holds a README.md that is not a card nkbench wrote; nothing was replaced"
    E434 = "invalid repo id {repo_id}"
    E435 = "not an empty folder"
    E436 = "cannot write the dry-run copy ({err.strerror or err}); nothing was left behind"
    E437 = "no Hugging Face token"
    E438 = "upload failed: {detail}"
    E439 = "not readable as Parquet ({type(err).__name__}: {err})"
    E440 = "columns {table.column_names} are not the declared ones {list(features)}"
    E441 = "no documents config"
    E501 = "--label-map {src}={dst}: {dst} is not an entity type"
    E502 = "unknown entity type {label}"
    E503 = "document {doc_id} is not in the gold"
    E504 = "a token tag that cannot be projected (unknown tag, I- without B-, unmapped label)"
    E505 = "tokens before any '# document = ID' line"
    E506 = "this is JSON, not CoNLL/BIO text"
    E507 = "line {line[:40]} has one column, expected TOKEN ... TAG"
    E508 = "no tokens: not a CoNLL/BIO file"
    E509 = "document {doc_id} given twice (first on line {seen[doc_id]})"
    E510 = "ill-formed tag {tags[at]} ({', '.join((k for k, n in counts.items() if n))})"
    E511 = "reading Parquet needs pyarrow"
    E512 = "not a readable Parquet file ({type(err).__name__})"
    E513 = "not a row of the dataset's `ner` config (no {', '.join(missing)})"
    E514 = "tokens and ner_tags must be lists of the same length"
    E515 = "ner_tags[{i}]: ClassLabel id {t} out of range (0..{len(NER_TAGS) - 1})"
    E516 = "ner_tags[{i}]: expected a tag name or a ClassLabel id, got {type(t).__name__}"
    E517 = "token {i} {tok} at [{s}:{e}] is not the gold text there"
    E518 = "ill-formed tag sequence (an I- tag without its B-)"
    E519 = "reading a DocBin needs spaCy"
    E520 = "not a spaCy DocBin ({type(err).__name__})"
    E521 = "the DocBin holds no Doc"
    E522 = "the DocBin does not store entities (its attrs lack ENT_IOB/ENT_TYPE): every Doc would read as hav..."
    E523 = "{why} ({doc.text[:40]}...)"
    E524 = "unknown entity type {ent.label_} ({ent.text})"
    E525 = "document {doc.id} given twice (first: {seen[doc.id]})"
    E526 = "no benchmark results"
    E527 = "numeric value bound {x} is not a finite number"
    E528 = "unknown hedge {v.hedge}: its interval is undefined"
    E529 = "value.{name} is {x}, not a finite number"
    E530 = "unknown document id {unknown[0]} (not in the gold)"
    E531 = "unknown resampling unit {unit}"
    E532 = "unknown layer {layer}"
    E533 = "unknown resampling unit {unit}"
    E534 = "unknown layer {layer}"
    E535 = "unknown document id {d.id} (not in the gold)"
    E536 = "document {d.id} given twice"
    E537 = "unknown layer {layer}"
    E538 = "unknown field {key}"
    E539 = "ClassLabel id {v} out of range: {key} ids are 0..{len(names) - 1} ({', '.join(names)})"
    E540 = "unknown policy {unknown_labels}"
    E541 = "unknown document id (not in the gold)"
    E542 = "language {doc.language} but the gold document is {g.language}"
    E543 = "unknown policy {unknown_labels}"
    E544 = "unknown document id (not in the gold)"
    E545 = "empty tag '' (a tag needs at least its prefix character)"
    E546 = "tag {tag} is not IOB2 (prefix must be B, I or O)"
    E547 = "unknown mode {mode}"
    E548 = "gold and predicted tag sequences differ in length"
    E549 = "unknown document id (not in the gold)"
    E550 = "unknown policy {unknown_labels}"
    E551 = "the llm system needs a model and an endpoint"
    E552 = "unknown system {name}"
    E553 = "system {name} needs {module}, which is not installed (the nkbench[{extra}] extra)"
    E554 = "system {system.name} covers {', '.join(system.languages)}, not {doc.language}"
    E555 = "a system needs the document text"
    E556 = "no such prompt folder"
    E557 = "expected an object {\"examples\": [...]}"
    E558 = "expected {id, language (es/en), text, answer}"
    E559 = "the example's answer does not resolve cleanly: {'; '.join(parsed.details or list(parsed.notes))}"
    E560 = "not a valid URL ({err})"
    E561 = "not an http(s) URL with a host"
    E562 = "the URL carries a user name or password"
    E563 = "the URL carries a query string or fragment"
    E564 = "--concurrency must be at least 1, got {config.concurrency}"
    E565 = "not an environment variable name: {env}"
    E566 = "the environment variable {env} is not set (the API key)"
    E567 = "no prompt folder given"
    E568 = "the llm system needs the openai package"
    E569 = "internal: unsound prediction for {doc.id}: {problems[0]}"
    E570 = "result.failure or \"no answer\""
    E571 = "spaCy model {name} is not installed ({err})"
    E572 = "spaCy label {ent.label_} has no row in the {doc.language} mapping table"
    E590 = "a row of another dataset config, not a document (scoring.predictions.NotADocument)"
    E591 = "a problem with the whole LLM run: key refused, model unknown, redirect (systems.llm.Fatal)"
    E592 = "expected a non-empty list of sentence numbers"
    E593 = "sentences {numbers} are not consecutive and increasing"
    E594 = "sentence numbers {numbers} out of range (the document has {len(spans)})"
    E595 = "{what} {item.id} {item.text!r:.40} ({item.start}-{item.end}) crosses the excerpt"
    E596 = "event {e.id} {e.text!r}: argument {a.role} is a mention outside the excerpt"
    E597 = "claim {c.id} {c.text!r:.40}: its {what} {ref} is outside the excerpt"
    E598 = "cue {q.id} {q.text!r} serves no claim in the excerpt (the answer format cannot give it)"
    E599 = "no context of up to {CONTEXT_WORDS} words on each side picks out {quote!r} at {start}-{end"
    E600 = "expected an object {'examples': [{'document': ..., 'sentences': [n, ...]}, ...]}"
    E601 = "expected {'document': <seed id>, 'sentences': [n, ...]}"
    E602 = "{doc_id!r} is not a development seed (split {splits.get(doc_id)!r})"
    E603 = "no gold for this development seed"
    E604 = "the answer does not read back cleanly: {'; '.join(parsed.details or list(parsed.notes))}"
    E801 = "give --annotator (this run only) or --gold-annotator (remembered), not both"
    E802 = "no task has gold yet: nothing to convert"
    E803 = "two annotators would share the pass file {path.name}"
    E804 = "stale: not what the schema and the inventories (entities.json, links.json) make"
    E805 = "\"is not a folder\" if out_dir.exists() else \"is a dangling symlink\""
    E806 = "cannot read the folder ({err.strerror})"
    E807 = "folder holds {foreign[0]}, which `nkbench errors` did not write; nothing is replaced there"
    E808 = "unknown layer {layer}"
    E809 = "give --out-dir or --tsv/--json/--html, not both"
    E810 = "--out-dir {out_dir} holds the input {predictions}"
    E811 = "--{kind} and --{seen[real]} are the same file"
    E812 = "unknown document {doc_id}"
    E814 = "give a pass folder, or --find TEXT --doc ID"
    E815 = "give --export or --pass, not both"
    E816 = "stale: not what the gold export makes"
    E817 = "document has no text"
    E818 = "unknown or missing language {d.language}"
    E819 = "--{given[0].replace('_', '-')} is an option of --system llm only"
    E820 = "system {system_name} has no document of its languages in the input"
    E821 = "--system llm needs --{name.replace('_', '-')}"
    E822 = "--{name.replace('_', '-')} must be at least {low}, got {opts[name]}"
    E823 = "--{name.replace('_', '-')} must be a positive number of seconds, got {opts[name]}"
    E824 = "--temperature must be between 0 and 2, got {opts['temperature']}"
    E825 = "is not a folder"
    E826 = "no document was predicted ({len(failed)} failed; first, {first.id}: {first.failure})"
    E827 = "is a file, expected the results folder"
    E828 = "\"no such folder\" if not Path(data_dir).exists() else \"is not a folder\""
    E829 = "{data_dir} is not what the gold export makes ({len(diffs)} differences, first: {diffs[0]})"
    E830 = "no gold document in language {language}"
    E831 = "no seed in the {split} split"
    E832 = "{len(diffs)} difference(s) from {gold} and the passes (annotate roundtrip)"
    E833 = "{len(stale)} stale file(s); run `nkbench regen` to regenerate them"


class NkbenchErrors(NkbenchError):
    """Several problems found in one pass (all reported, not just the first)."""

    def __init__(self, problems: list[NkbenchError], what: str = "input") -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{len(self.problems)} problem(s) in {what}:\n{shown}{more}")


def did_you_mean(word: str, choices) -> str:
    """A 'did you mean' hint for an unknown label, or '' when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    if not close:
        upper = [c for c in choices if c.upper() == str(word).upper()]
        close = upper[:1]
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(choices))}"


#: Environment variables whose values are secrets: never shown in a message or a log.
SECRET_ENV = ("LABEL_STUDIO_API_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")

_URL_PASSWORD = re.compile(r"(//[^/@\s:]*):[^/@\s]*@")
_AUTH_VALUE = re.compile(r"\b(Token|Bearer)\s+[A-Za-z0-9._~+/=-]{16,}")


def redact(text: str, secrets=()) -> str:
    """``text`` with every secret, every ``Token …``/``Bearer …`` value and every URL password
    replaced by ``***`` (for every message that may echo what a server or a caller sent)."""
    text = str(text)
    for secret in (*secrets, *(os.environ.get(v, "").strip() for v in SECRET_ENV)):
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    text = _AUTH_VALUE.sub(lambda m: f"{m.group(1)} ***", text)
    return _URL_PASSWORD.sub(r"\1:***@", text)


def problems_of(err: NkbenchError) -> list[NkbenchError]:
    """The problems ``err`` reports: each of an ``NkbenchErrors``, or ``err`` itself (so a loop
    that collects every problem catches ``NkbenchError`` once)."""
    return list(err.problems) if isinstance(err, NkbenchErrors) else [err]
