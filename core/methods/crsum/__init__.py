"""CRSum (Yuan 2019): a scorer trained with a Sobolev loss, on backbone features (``crsum``)
or end to end from frames through a 3D CNN (``crsum3d``)."""
