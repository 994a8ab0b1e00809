"""Question 1 answered with the counts along one axis, (3, 2), instead of in 2-D, where the two axes multiply."""
EXERCISE = "question_coverage"
EXPECT = "per-axis"
EDIT = [("return max(per_axis) ** 2, min(per_axis) ** 2", "return max(per_axis), min(per_axis)")]
