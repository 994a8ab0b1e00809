"""Closed-form factors without the square root (the growth of the squared norm)."""
EXERCISE = "norm_growth_factor"
EXPECT = "squared norm"
EDIT = [("return math.sqrt(1 + eta**2)", "return 1 + eta**2"),
        ("return math.sqrt(1 - eta**2 + eta**4)", "return 1 - eta**2 + eta**4")]
