"""The skips are taken in the order they were stored (first in, first out) instead of mirrored: the innermost up block
gets the outermost encoder output, whose size does not match (the classic U-Net indexing slip, skips[i] for
skips[-i - 1])."""
EXERCISE = "UNetGenerator"
EXPECT = "wrong levels"
EDIT = [("            h = up(h, skips.pop())\n", "            h = up(h, skips.pop(0))\n")]
