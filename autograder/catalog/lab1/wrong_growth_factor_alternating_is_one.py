"""Returns 1.0 for "alternating" instead of raising: alternating GDA "neither grows nor shrinks".

Its iterates stay on an ellipse (Bailey, Gidel & Piliouras, "Finite Regret and Cycles with Fixed Step-Size
via Alternating Gradient Descent-Ascent", COLT 2020), but the norm oscillates step by step, so there is no
single factor and the docstring asks for ValueError. Our own code.
"""
EXERCISE = "norm_growth_factor"
EXPECT = "must raise ValueError"
EDIT = [("    raise ValueError(", "    if method == \"alternating\":\n        return 1.0  # bounded cycling\n    raise ValueError(")]
