"""Question 1 answered with the x-first form's coefficient (-eta): the student reuses Section 3's result without
redoing the ansatz for the other order of moves (the order of D and G steps is the detail GAN write-ups most often
gloss over)."""
EXERCISE = "answer_y_first_coefficient"
EXPECT = "coefficient of the x-first update"
EDIT = [("    return 0.3", "    return -0.3")]
