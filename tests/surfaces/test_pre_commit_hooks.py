"""The pre-commit hooks: the manifest, and real ``pre-commit run`` in a scratch git repository.

A ``language: python`` hook would make pre-commit build losslint from this
checkout (network, minutes), so the runs use ``repo: local`` hooks with
``language: system`` made from the manifest's own fields: only ``entry`` gains
``python -m`` and the language changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")  # pre-commit's own dependency
if shutil.which("git") is None:
    pytest.skip("git is needed to run pre-commit", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
HOOKS = {hook["id"]: hook for hook in MANIFEST}
BAD = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(F.softmax(logits, dim=1), y)
"""
CLEAN = """\
import torch.nn.functional as F


def step(logits, y):
    return F.cross_entropy(logits, y)
"""


def _env(home: Path) -> dict[str, str]:
    path = os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    return {
        **os.environ,
        "PYTHONPATH": path,
        "PRE_COMMIT_HOME": str(home / ".pre-commit-home"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
    }


def _local_hook(hook_id: str, **overrides) -> dict:
    hook = dict(HOOKS[hook_id])
    hook["entry"] = hook["entry"].replace("losslint", f"{sys.executable} -m losslint", 1)
    hook["language"] = "system"
    hook.update(overrides)
    return hook


def _repository(tmp_path: Path, files: dict[str, str], *hooks: dict) -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    config = {"repos": [{"repo": "local", "hooks": list(hooks)}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(["git", "init", "-q", "."], cwd=repo, check=True, env=_env(tmp_path))
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=_env(tmp_path))
    return repo


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_env(repo.parent),
        timeout=300,
    )


def _has_fix_flag() -> bool:
    from click.testing import CliRunner

    from losslint.cli import main

    return "--fix" in CliRunner().invoke(main, ["check", "--help"]).output


def test_manifest_hooks_ids_entries_and_types() -> None:
    assert set(HOOKS) == {"losslint", "losslint-fix"}
    # pre-commit names every file: --force-exclude keeps [tool.losslint]'s exclude in force.
    assert HOOKS["losslint"]["entry"] == "losslint check --force-exclude"
    assert HOOKS["losslint-fix"]["entry"] == "losslint check --force-exclude --fix"
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]
        assert hook.get("pass_filenames", True) is True
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-manifest",
            str(REPO / ".pre-commit-hooks.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_clean_code_passes(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"train.py": CLEAN}, _local_hook("losslint"))
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout


def test_bad_code_fails_with_the_finding(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"train.py": BAD, "ok.py": CLEAN}, _local_hook("losslint"))
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 1
    assert "train.py:5:12: LL001" in result.stdout
    assert "ok.py" not in result.stdout


def test_many_files_one_finding(tmp_path: Path) -> None:
    files = {f"pkg/module_{i:03}.py": CLEAN for i in range(60)}
    files["pkg/module_031.py"] = BAD
    repo = _repository(tmp_path, files, _local_hook("losslint"))
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 1
    assert result.stdout.count(": LL001 ") == 1
    assert "pkg/module_031.py:5:12: LL001" in result.stdout


def test_excluded_files_stay_excluded_when_pre_commit_names_them(tmp_path: Path) -> None:
    files = {
        "train.py": CLEAN,
        "generated/model.py": BAD,
        "pyproject.toml": '[tool.losslint]\nexclude = ["generated"]\n',
    }
    repo = _repository(tmp_path, files, _local_hook("losslint"))
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 0, result.stdout
    assert "LL001" not in result.stdout


def test_no_python_files_skips_the_hook(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"README.md": "# notes\n"}, _local_hook("losslint"))
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 0, result.stdout
    assert "(no files to check)Skipped" in result.stdout


def test_always_run_with_zero_files_checks_the_folder_and_passes_when_clean(tmp_path) -> None:
    """With no file passed, ``losslint check`` checks "." — clean here, so it passes."""
    hook = _local_hook("losslint", always_run=True)
    repo = _repository(tmp_path, {"README.md": "# notes\n"}, hook)
    result = pre_commit(repo, "--all-files")
    assert result.returncode == 0, result.stdout
    assert "Passed" in result.stdout


@pytest.mark.skipif(not _has_fix_flag(), reason="`losslint check --fix` is not there yet")
def test_fix_hook_fixes_then_passes(tmp_path: Path) -> None:
    repo = _repository(tmp_path, {"train.py": BAD}, _local_hook("losslint-fix"))
    first = pre_commit(repo, "--all-files")
    assert first.returncode == 1  # files were modified: pre-commit fails the hook
    assert "F.softmax" not in (repo / "train.py").read_text()
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=_env(tmp_path))
    second = pre_commit(repo, "--all-files")
    assert second.returncode == 0, second.stdout


def test_check_with_no_paths_and_nothing_to_check_exits_0(tmp_path: Path, monkeypatch) -> None:
    """The zero-file case outside pre-commit: no Python file under "." is a clean run."""
    from click.testing import CliRunner

    from losslint.cli import main

    (tmp_path / "README.md").write_text("# notes\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.output == "losslint: warning: no Python files or notebooks found to check\n"


# ---------------------------------------------------- the README's snippet, for real
README = (REPO / "README.md").read_text("utf-8")
PUBLIC_URL = "https://github.com/losslint/losslint"
NO_INDEX = ("No matching distribution", "Failed to establish a new connection", "NewConnection")


def _readme_block(after: str, language: str) -> str:
    section = README[README.index(after) :]
    start = section.index(f"```{language}\n") + len(f"```{language}\n")
    return section[start : section.index("```", start)]


def _published_copy(tmp_path: Path) -> Path:
    """This checkout as a git repository with one commit on ``main``: what pre-commit
    clones from the public URL (the package, its rule pages and the hooks manifest)."""
    source = tmp_path / "losslint-repo"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, source / name)
    for folder in ("losslint", "rules"):
        shutil.copytree(
            REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    env = _env(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main", "."], cwd=source, check=True, env=env)
    subprocess.run([*git, "add", "-A"], cwd=source, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "release"], cwd=source, check=True, env=env)
    return source


def test_readme_snippet_with_autoupdate_installs_and_runs_the_hook(tmp_path: Path) -> None:
    """The README's steps, verbatim but for the URL: the snippet, ``pre-commit
    autoupdate`` (which pins the commit), then a real run that installs losslint from
    the repository into pre-commit's own environment."""
    snippet = _readme_block("### pre-commit", "yaml")
    assert PUBLIC_URL in snippet and "rev: main" in snippet
    source = _published_copy(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "train.py").write_text(BAD)
    (project / "ok.py").write_text(CLEAN)
    (project / ".pre-commit-config.yaml").write_text(snippet.replace(PUBLIC_URL, str(source)))
    env = _env(tmp_path)
    env.pop("PYTHONPATH")  # the hook must run the losslint pre-commit installed
    subprocess.run(["git", "init", "-q", "."], cwd=project, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, env=env)

    def pre_commit_here(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    updated = pre_commit_here("autoupdate")
    assert updated.returncode == 0, updated.stdout + updated.stderr
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert f"rev: {head}" in (project / ".pre-commit-config.yaml").read_text()

    result = pre_commit_here("run", "--all-files")
    if any(sign in result.stdout + result.stderr for sign in NO_INDEX):
        pytest.skip("the package index is not reachable: pre-commit cannot install losslint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "train.py:5:12: LL001" in result.stdout
    assert "ok.py" not in result.stdout


def test_readme_try_repo_command_names_a_published_hook() -> None:
    command = _readme_block("To try the hooks", "bash").split()
    assert command[:4] == ["pre-commit", "try-repo", PUBLIC_URL, "losslint"]
    assert command[3] in HOOKS
