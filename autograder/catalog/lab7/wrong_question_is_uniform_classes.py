"""Question 1 answered as if the three classes were equally frequent (IS = 3): the reading "IS counts the classes"
that the original paper's framing invites (Barratt and Sharma 2018 discuss it), ignoring the class frequencies."""
EXERCISE = "answer_three_class_inception_score"
EXPECT = "equally frequent"
EDIT = [("    return 2 ** 1.5", "    return 3.0")]
