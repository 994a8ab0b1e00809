"""Question 2 answered with the minimiser over u = eta^2 (u = 1/2) without taking the square root: the
substitution u = eta^2 is the natural way to minimise 1 - u + u^2, and forgetting to undo it is the classic slip."""
EXERCISE = "answer_fastest_extragradient_eta"
EXPECT = "over eta^2, not over eta"
EDIT = [("    return 1 / math.sqrt(2)", "    return 0.5")]
