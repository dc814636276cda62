"""Controllers: the studio's actions. Each runs the slow part on a worker pool, then updates the
:class:`~app.state.StudioState`; views never call the engine or the store themselves."""
