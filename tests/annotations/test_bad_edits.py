"""Bad edits on a store (SQLite and PostgreSQL): a mark moved outside the video or to nothing,
overlapping segments, and writers racing to add overlapping segments. Each bad edit is refused
with one line naming the selection and the problem, and nothing is saved (labels and history as
they were); racing writers are all kept, their segments merged, never stored overlapping."""

from __future__ import annotations

import threading

import pytest

from annotations import LabelError, Labels, Repository, VideoKey
from tests.annotations.conftest import present

START = Labels(keyframes=[5], segments=[[20, 30], [50, 60]])


@pytest.fixture
def repo(store_url: str):
    repo = Repository(store_url)
    yield repo
    repo.close()


def _video(repo: Repository) -> int:
    video = repo.add_video(VideoKey(n_frames=100, name="v.mp4"))
    repo.add_annotator("ana")
    repo.save("ana", video.id, START, "mark")
    return video.id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda lab: lab.with_mark_moved((50, 60), (95, 105)),
            r"ana × v\.mp4: segment \[95, 105\) is outside the video's 100 frames or empty",
        ),
        (
            lambda lab: lab.with_mark_moved(5, 100),
            r"ana × v\.mp4: keyframe 100 is outside the video \(0–99\)",
        ),
        (
            lambda lab: lab.with_mark_moved((20, 30), (30, 30)),
            r"ana × v\.mp4: segment \[30, 30\) is empty",
        ),
        (
            lambda lab: lab.with_mark_moved((20, 30), (30, 20)),
            r"ana × v\.mp4: segment \[30, 20\) is empty",
        ),
        (
            lambda lab: Labels(segments=[[0, 10], [5, 20]]),
            r"ana × v\.mp4: segments \[0, 10\) and \[5, 20\) overlap",
        ),
        (
            lambda lab: lab.with_mark_moved((20, 30), 25),
            r"ana × v\.mp4: cannot move segment \[20, 30\) to keyframe 25",
        ),
    ],
)
def test_a_bad_edit_is_one_clear_line_and_nothing_is_saved(
    repo: Repository, change, message: str
) -> None:
    v = _video(repo)
    history = repo.history("ana", v)
    with pytest.raises(LabelError, match=message) as caught:
        repo.edit("ana", v, change, "bad edit")
    assert "\n" not in str(caught.value)
    assert present(repo.get_selection("ana", v)).labels.same_as(START)
    assert repo.history("ana", v) == history


def test_writers_racing_to_add_overlapping_segments_all_count(store_url: str) -> None:
    """Eight programs (each its own repository and connections) add overlapping segments to one
    selection at once: all eight edits are kept and the stored segments never overlap."""
    with Repository(store_url) as repo:
        v = repo.add_video(VideoKey(n_frames=100, name="v.mp4")).id
        repo.add_annotator("ana")
    go = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            with Repository(store_url) as mine:
                go.wait()
                mine.edit("ana", v, lambda lab: lab.with_segment(10 * i, 10 * i + 15), f"seg {i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with Repository(store_url) as repo:
        labels = present(repo.get_selection("ana", v)).labels
        labels.check(100, "ana × v.mp4")  # stored as valid labels: no overlap
        assert present(labels.segments).tolist() == [[0, 85]]
        assert sorted(e.action for e in repo.history("ana", v)) == [f"seg {i}" for i in range(8)]
