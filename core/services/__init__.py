"""The services layer: what joins the engine (the rest of :mod:`core`) and the store
(:mod:`annotations`). The command line (:mod:`.cli`), personalization (:mod:`.personalize`),
training from the store (:mod:`.training`), exports from an annotator's labels
(:mod:`.export_source`), the store's eccv16 export (:mod:`.store_eccv16`) and the Ray library run
that records in the store (:mod:`.scale_runner`). The engine never imports this package and the
store never imports core; ``lint-imports`` checks both (docs/architecture.md).
"""
