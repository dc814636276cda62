"""A library processed at scale: every video's features, shot boundaries and shots, as Ray tasks.

``synopsis library process`` (:mod:`core.services.cli.process_cmds`) drives it:
:mod:`core.scale.work` is
one video's work (the engine's own functions), :mod:`core.scale.ledger` what was done before,
:mod:`core.scale.frames` the frames done of the videos in flight (the progress bar),
:mod:`core.scale.stages` decode and inference as separate stages (one actor holds the model), and
:mod:`core.services.scale_runner` the Ray driver that records results in the store. Ray is imported
only when a run starts (the package extra ``scale``).
"""
