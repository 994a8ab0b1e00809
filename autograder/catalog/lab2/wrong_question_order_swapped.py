"""Question 1 answered with the two shares in the opposite order (non-saturating first)."""
EXERCISE = "question_weight_share"
EXPECT = "wrong order"
EDIT = [("return sat, ns", "return ns, sat")]
