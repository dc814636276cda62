"""Two annotators on one PostgreSQL store at once: a Studio window (you, marking with the mouse)
and the CLI in another process (bo: importing marks into his selection and into yours with
``labels import --merge``, and leaving remarks on your marks with ``labels remark``), all at the
same time. Neither loses an edit: every keyframe either of them added is stored, in each one's
history, and the window shows them all, with bo's remarks in your list."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotations import Labels, Repository
from tests.annotations.conftest import REPO, pg_url  # noqa: F401 - the fixture
from tests.app.conftest import wait_idle
from tests.app.test_timeline_mouse import click, ready, saved

pytestmark = pytest.mark.postgres
N = 8
CTRL = Qt.KeyboardModifier.ControlModifier
CLI = f"""
import json, sys, time
from pathlib import Path
from core.services.cli import main

db, me, sha, folder = sys.argv[1:5]
folder = Path(folder)
main(["--db", db, "labels", "remarks", "--video", sha])  # imported and connected: ready
print("ready", flush=True)
while not (folder / "go").exists():
    time.sleep(0.01)
for i in range({N}):
    for who, frame in (("bo", 50 + i), (me, 60 + i)):
        path = folder / f"{{who}}{{i}}.json"
        video = {{"sha256": sha, "n_frames": 75}}
        path.write_text(json.dumps([{{"annotator": who, "video": video, "keyframes": [frame]}}]))
        assert main(["--db", db, "labels", "import", "--format", "json", "--merge", str(path)]) == 0
    args = ["--video", sha, "--annotator", me, "--by", "bo", "--segment", "20:40"]
    assert main(["--db", db, "labels", "remark", *args, f"remark {{i}}"]) == 0
print("done")
"""


@pytest.fixture
def store_url(pg_url: str) -> str:  # noqa: F811 - the studio's store is a real PostgreSQL one
    return pg_url


def test_a_window_and_the_cli_edit_one_video_at_once_and_nothing_is_lost(
    studio, qtbot, clip: Path, store_url: str, tmp_path: Path
) -> None:
    ready(qtbot, studio, clip)
    me, video = studio.state.annotator, studio.state.video.video
    with Repository(store_url) as repo:
        repo.add_annotator("bo")
    drag_segment = Labels(segments=[[20, 40]])
    studio.annotate.commit(lambda labels: labels.with_segment(20, 40), "add segment 20-40")
    saved(qtbot, studio)
    assert studio.state.own_labels.same_as(drag_segment)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cli = subprocess.Popen(
        [sys.executable, "-c", CLI, store_url, me, video.sha256, str(tmp_path)],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert cli.stdout is not None and cli.stdout.readline().strip() == "ready"
    (tmp_path / "go").touch()
    mine = []
    for frame in range(2, 50, 2):  # you mark while bo's CLI writes (frames 2, 4, … below 50)
        if cli.poll() is not None and len(mine) >= N:
            break
        click(qtbot, studio, frame, CTRL)
        mine.append(frame)
        qtbot.wait(120)
    saved(qtbot, studio)
    out, err = cli.communicate(timeout=120)
    assert cli.returncode == 0, err
    assert out.strip().endswith("done")

    theirs_in_mine = [60 + i for i in range(N)]
    with Repository(store_url) as repo:
        you = repo.get_selection(me, video.id)
        bo = repo.get_selection("bo", video.id)
        assert sorted(you.labels.keyframes.tolist()) == sorted(mine + theirs_in_mine)
        assert you.labels.segments.tolist() == [[20, 40]]
        assert sorted(bo.labels.keyframes.tolist()) == [50 + i for i in range(N)]
        actions = [e.action for e in repo.history(me, video.id) if e.applied]
        kinds = ["cli" if a.startswith("import") else "window" for a in actions[1:]]
        assert kinds.count("cli") == N and kinds.count("window") == len(mine)
        assert "window" in kinds[kinds.index("cli") :], kinds  # they did write at once
        assert [r.text for r in repo.remarks(video.id, annotator=me)] == [
            f"remark {i}" for i in range(N)
        ]
    studio.annotate.load_selections()  # the window reads the store again
    studio.remarks.load()
    wait_idle(qtbot, studio)
    assert sorted(studio.state.own_labels.keyframes.tolist()) == sorted(mine + theirs_in_mine)
    assert sorted(studio.state.selections["bo"].keyframes.tolist()) == [50 + i for i in range(N)]
    assert studio.remarks_list.list.count() == N
    lines = [studio.remarks_list.list.item(i).text() for i in range(N)]
    assert all(line.startswith("bo on your segment f 20–39") for line in lines), lines
