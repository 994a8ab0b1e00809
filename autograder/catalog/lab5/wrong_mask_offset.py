"""The hole's corner at size // 2 - hole // 2 (centre minus half the hole), one pixel off from (size - hole) // 2
when size and hole have different parities."""
EXERCISE = "center_mask"
EXPECT = "shifted by one"
EDIT = [("    top = (size - hole) // 2\n", "    top = size // 2 - hole // 2\n")]
