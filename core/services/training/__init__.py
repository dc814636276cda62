"""Training from the store: labels gathered into training data (:mod:`.store_source`,
:mod:`.tag_source`), runs recorded in the store (:mod:`.record`) and the Studio's training job
(:mod:`.job`)."""
