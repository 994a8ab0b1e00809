"""Conserved quantity reduced over all entries (one number for a whole batch of points).

Game code often measures one scalar for the whole state (e.g. a `distance` that takes the norm of the
concatenated players); the docstring asks for E elementwise, one value per point. Our own code.
"""
EXERCISE = "alternating_invariant"
EXPECT = "one value per point"
EDIT = [("return x**2 + y**2 - eta * x * y", "return (x**2 + y**2 - eta * x * y).sum() if hasattr(x, \"sum\") "
         "else x**2 + y**2 - eta * x * y")]
