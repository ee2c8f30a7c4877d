import pytest
from click.testing import CliRunner

from nkbench.cli import main
from nkbench.dataset.build import existing_files
from tests.project import PROJECT


def test_dry_run_writes_exactly_the_files_it_would_upload(tmp_path):
    dest = tmp_path / "upload"
    result = CliRunner().invoke(main, ["data", "push", "--repo-id", "my-org/nkbench", "--dry-run", str(dest)])
    assert result.exit_code == 0, result.output
    have, made = existing_files(PROJECT.data_dir), existing_files(dest)
    assert sorted(made) == sorted(have) and "README.md" in made and "ner/test.parquet" in made
    assert all(made[k].read_bytes() == have[k].read_bytes() for k in made)
    again = CliRunner().invoke(main, ["data", "push", "--repo-id", "my-org/nkbench", "--dry-run", str(dest)])
    assert again.exit_code == 1 and "not an empty folder" in again.output


def test_missing_token_is_a_clear_error(no_hub_token, monkeypatch):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", lambda **kw: pytest.fail("no API call without a token"))
    result = CliRunner().invoke(main, ["data", "push", "--repo-id", "my-org/nkbench"])
    assert result.exit_code == 1 and "no Hugging Face token" in result.output and "HF_TOKEN" in result.output
    assert "Traceback" not in result.output


def test_push_creates_the_repo_and_uploads_the_planned_files(no_hub_token, monkeypatch):
    import huggingface_hub

    calls = []

    class FakeApi:
        def __init__(self, token):
            calls.append(("init", token))

        def create_repo(self, repo_id, **kw):
            calls.append(("create_repo", repo_id, kw))

        def create_commit(self, **kw):
            calls.append(("create_commit", kw))
            return type("Info", (), {"commit_url": "https://huggingface.co/datasets/my-org/nkbench/commit/abc"})()

    monkeypatch.setenv("HF_TOKEN", "hf_fake")
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    result = CliRunner().invoke(main, ["data", "push", "--repo-id", "my-org/nkbench", "--private"])
    assert result.exit_code == 0, result.output
    assert calls[0] == ("init", "hf_fake")
    assert calls[1] == ("create_repo", "my-org/nkbench", {"repo_type": "dataset", "private": True, "exist_ok": True})
    upload = calls[2][1]
    assert upload["repo_type"] == "dataset" and upload["repo_id"] == "my-org/nkbench"
    sent = {op.path_in_repo: op.path_or_fileobj for op in upload["operations"]}
    have = existing_files(PROJECT.data_dir)
    assert sorted(sent) == sorted(have) and all(sent[k] == have[k].read_bytes() for k in sent)
    assert "commit/abc" in result.output


def test_upload_failure_is_a_message_not_a_traceback(no_hub_token, monkeypatch):
    import huggingface_hub

    class Offline:
        def __init__(self, token):
            pass

        def create_repo(self, *a, **kw):
            raise ConnectionError("offline mode is enabled")

    monkeypatch.setenv("HF_TOKEN", "hf_fake")
    monkeypatch.setattr(huggingface_hub, "HfApi", Offline)
    result = CliRunner().invoke(main, ["data", "push", "--repo-id", "my-org/nkbench"])
    assert result.exit_code == 1 and "upload failed: ConnectionError" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("repo_id", ["nkbench", "a/b/c", "org/", "-org/x", "org/na me"])
def test_bad_repo_ids_are_refused(repo_id, tmp_path):
    result = CliRunner().invoke(main, ["data", "push", "--repo-id", repo_id, "--dry-run", str(tmp_path / "u")])
    assert result.exit_code == 1 and "invalid repo id" in result.output and not (tmp_path / "u").exists()
