"""Weight gamma instead of gamma / 2: the paper writes R1 = gamma/2 E||grad D||^2, and implementations that fold the
1/2 into gamma (or forget it) double the penalty."""
EXERCISE = "r1_penalty"
EXPECT = "gamma / 2"
EDIT = [("return 0.5 * gamma * slopes", "return gamma * slopes")]
