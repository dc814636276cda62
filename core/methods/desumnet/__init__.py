"""DeSumNet (Panda 2017): weakly supervised — a video-category classifier whose gradients give
importance, on backbone features or on the frames themselves (``clips`` mode)."""
