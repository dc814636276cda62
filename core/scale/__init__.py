"""A library processed at scale: every video's features, shot boundaries and shots, as Ray tasks.

``synopsis library process`` (:mod:`core.services.cli.process_cmds`) drives it:
:mod:`core.scale.work` is
one video's work (the engine's own functions), :mod:`core.scale.ledger` what was done before, and
:mod:`core.services.scale_runner` the Ray driver that records results in the store. Ray is imported
only when a run starts (the package extra ``scale``).
"""
