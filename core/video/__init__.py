"""Open, probe, and read videos frame-exactly (PyAV / FFmpeg)."""

from core.video.probe import Timeline, VideoInfo, file_sha256, probe, probe_with_timeline
from core.video.reader import VideoReader, open_video
from core.video.sampling import picks_for, sample_picks, step_of_frame

__all__ = [
    "Timeline",
    "VideoInfo",
    "VideoReader",
    "file_sha256",
    "open_video",
    "picks_for",
    "probe",
    "probe_with_timeline",
    "sample_picks",
    "step_of_frame",
]
