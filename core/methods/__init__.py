"""Summarization methods: one sub-package per family, the shared :mod:`core.methods.nn` layers,
the :class:`~core.methods.base.Method` protocol and the name registry (:mod:`.registry`).

Families: :mod:`.baselines` (uniform, random, k-means, VSUMM, feature-norm), :mod:`.crsum`
(CRSum and its 3D-CNN front end), :mod:`.csum`, :mod:`.sumgan`, :mod:`.desumnet`, :mod:`.embedding`.
A family package never imports another family except through :mod:`core.methods.nn` (DeSumNet
reuses SUM-GAN's LSTM, CRSum's 3D front end) — ``lint-imports`` checks it. A method of your own
plugs in through the ``synopsis.methods`` entry-point group (docs/plugins.md).
"""
