"""Extragradient whose extrapolation is an *alternating* (Gauss-Seidel) step: y_half reads x_half.

Gordon-Guojun-Zhang/ICLR-2020 ("Convergence Behaviour of Some Gradient-Based Methods on Bilinear Zero-Sum
Games", README: Gauss-Seidel and Jacobi versions of each algorithm) studies both variants; the docstring
asks for the Jacobi (simultaneous) trial step. Our own code.
"""
EXERCISE = "extragradient_step"
EXPECT = "extrapolation was alternating"
EDIT = [("    y_half = y + eta * x\n", "    y_half = y + eta * x_half\n")]
