"""The learned keyframe embedding (paper 1 in docs/methods.md): clips embedded so that users'
keyframes cluster, keyframes picked by k-means in the embedding."""
